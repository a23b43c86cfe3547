using System.Globalization;

namespace Postmortems.Testing;

/// <summary>
/// The real Microsoft 365 Agents Playground (npm) on a free loopback port, telemetry off, no browser of its own,
/// pointed at a bot endpoint. Tests use its web UI in Chromium, as a person would.
/// </summary>
public sealed class PlaygroundServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _workDir;

    private PlaygroundServer(ChildProcess process, int port, string workDir)
    {
        _process = process;
        Port = port;
        _workDir = workDir;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public string Output => _process.Output;

    /// <param name="configYaml">
    /// A .m365agentsplayground.yml for its working folder (who the current user is, the chats' ids), so two
    /// Playgrounds can seat two people in the same group chat; null for the Playground's defaults.
    /// </param>
    public static async Task<PlaygroundServer> StartAsync(Uri botEndpoint, string? configYaml = null)
    {
        ArgumentNullException.ThrowIfNull(botEndpoint);
        string executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "agentsplayground");
        string workDir = Directory.CreateTempSubdirectory("playground-").FullName;
        if (configYaml is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(workDir, ".m365agentsplayground.yml"), configYaml);
        }

        int port = FreePort.Next();
        var process = ChildProcess.Start(
            executable,
            ["-e", botEndpoint.ToString(), "-c", "msteams", "--disable-telemetry", "-p", port.ToString(CultureInfo.InvariantCulture)],
            workDir,
            new Dictionary<string, string?>
            {
                // Without it the Playground tries to open a browser through xdg-open and exits where there is none.
                ["TEAMSAPPTESTER_BROWSER"] = "none",
                ["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(workDir, "playground.log"),
            });
        var server = new PlaygroundServer(process, port, workDir);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written; the temp folder is cleaned by the system.
        }
    }
}
