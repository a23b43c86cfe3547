using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Postmortems.Testing;

/// <summary>What the official Adaptive Cards library (and the product's size limit) found in one card.</summary>
/// <param name="Index">The card's position in the batch that was checked.</param>
/// <param name="Errors">Problems that lose or break content: unknown types, invalid values, versions, ids, size.</param>
/// <param name="Warnings">Problems the renderer works around: unknown or too-new properties, hints, accessibility advice.</param>
/// <param name="Bytes">UTF-8 size of the card's JSON text.</param>
public sealed record CardCheckResult(int Index, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, int Bytes)
{
    public bool IsOverSizeLimit => Bytes > AdaptiveCardChecker.MaxCardBytes;

    public bool Passed => Errors.Count == 0 && Warnings.Count == 0;
}

/// <summary>
/// Checks Adaptive Card JSON with Microsoft's adaptivecards npm package, through tests/card-check/check-cards.js run
/// by node (from PATH). Needs the repository's node packages installed (npm ci); reaches no network.
/// </summary>
public static class AdaptiveCardChecker
{
    /// <summary>
    /// The product keeps each card at most 28 KB: Teams accepts about 100 KB per message, but mobile clients and older
    /// connectors are stricter.
    /// </summary>
    public const int MaxCardBytes = 28 * 1024;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static string ScriptPath { get; } = Path.Combine(RepositoryRoot.Path, "tests", "card-check", "check-cards.js");

    /// <summary>Checks every card in one node run; results are in the order of <paramref name="cardJsons"/>.</summary>
    public static async Task<IReadOnlyList<CardCheckResult>> CheckAsync(IReadOnlyList<string> cardJsons, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cardJsons);
        if (cardJsons.Count == 0)
        {
            return [];
        }

        // Each card goes as a JSON string, so the script measures exactly the text the bot sends.
        string output = await RunScriptAsync(JsonSerializer.Serialize(cardJsons, JsonOptions), cancellationToken);
        List<ScriptResult>? results;
        try
        {
            results = JsonSerializer.Deserialize<List<ScriptResult>>(output, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"check-cards.js printed something other than its JSON result:\n{output}", e);
        }

        if (results is null || results.Count != cardJsons.Count)
        {
            throw new InvalidOperationException($"check-cards.js returned {results?.Count ?? 0} results for {cardJsons.Count} cards:\n{output}");
        }

        return results.OrderBy(r => r.Index).Select(ToCheckResult).ToList();
    }

    private static CardCheckResult ToCheckResult(ScriptResult result)
    {
        var errors = new List<string>(result.Errors);
        if (result.Bytes > MaxCardBytes)
        {
            errors.Add($"The card is {result.Bytes} bytes, over the product's limit of {MaxCardBytes} bytes (28 KB) per card [OverSizeLimit]");
        }

        return new CardCheckResult(result.Index, errors, result.Warnings, result.Bytes);
    }

    private static async Task<string> RunScriptAsync(string input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(ScriptPath);

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Checking Adaptive Cards needs Node.js 20 or later on PATH (node was not found).", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // node exited without reading its input; its exit code and stderr below say why.
            }
            await process.WaitForExitAsync(timeout.Token);
            string output = await stdout;
            string errors = await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {ScriptPath} exited with {process.ExitCode}:\n{errors}");
            }

            return output;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"node {ScriptPath} did not finish within {Timeout}.");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private sealed record ScriptResult(int Index, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, int Bytes);
}
