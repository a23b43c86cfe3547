using System.Diagnostics;
using System.Globalization;
using System.Net;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Hosting;

/// <summary>
/// The README's start command, run for real on free ports: Azurite, the app and the Agents Playground come up,
/// /healthz answers 200, and stopping the script stops all three.
/// </summary>
[TestClass]
public sealed class RunScriptTests
{
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task RunScriptStartsStorageAppAndPlaygroundAndStopsThemAll()
    {
        int appPort = FreePort.Next(), storagePort = FreePort.Next(), playgroundPort = FreePort.Next();
        string dataDir = Directory.CreateTempSubdirectory("run-sh-test-").FullName;
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "run.sh")])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["APP_PORT"] = appPort.ToString(CultureInfo.InvariantCulture),
                ["STORAGE_PORT"] = storagePort.ToString(CultureInfo.InvariantCulture),
                ["PLAYGROUND_PORT"] = playgroundPort.ToString(CultureInfo.InvariantCulture),
                ["DATA_DIR"] = dataDir,
                ["SKIP_BUILD"] = "1",
                ["CONFIGURATION"] = BuildConfiguration(),
            },
        };
        using var script = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        script.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var health = await PollAsync(http, $"http://localhost:{appPort}/healthz", TimeSpan.FromSeconds(120), script);
            Assert.AreEqual(HttpStatusCode.OK, health, $"/healthz did not answer 200.\n{output}");
            var playground = await PollAsync(http, $"http://localhost:{playgroundPort}/", TimeSpan.FromSeconds(60), script);
            Assert.AreEqual(HttpStatusCode.OK, playground, $"the Playground did not answer.\n{output}");
        }
        finally
        {
            // What Ctrl+C does in a terminal: the script's trap stops the three process groups.
            using (var kill = Process.Start("kill", ["-TERM", script.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await script.WaitForExitAsync(stopped.Token);
        }

        foreach (int port in new[] { appPort, storagePort, playgroundPort })
        {
            Assert.IsFalse(await FreePort.IsListeningAsync(port), $"something still listens on {port} after the script stopped.\n{output}");
        }

        Assert.IsEmpty(ProcessesMentioning(dataDir), $"processes left behind.\n{output}");
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<HttpStatusCode?> PollAsync(HttpClient http, string url, TimeSpan limit, Process script)
    {
        var deadline = DateTime.UtcNow + limit;
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline && !script.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url));
                last = response.StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        return last;
    }

    private static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/

    private static List<string> ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => Path.Combine(dir, "cmdline"))
            .Select(path => { try { return File.ReadAllText(path).Replace('\0', ' '); } catch (IOException) { return string.Empty; } catch (UnauthorizedAccessException) { return string.Empty; } })
            .Where(cmd => cmd.Contains(text, StringComparison.Ordinal))
            .ToList();
}
