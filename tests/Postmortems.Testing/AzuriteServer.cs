using System.Globalization;

namespace Postmortems.Testing;

/// <summary>
/// A real Azurite Table service (from the repository's node_modules) on a free loopback port, in memory, telemetry
/// off. Dispose stops it and its child processes. <see cref="StartPersistentAsync"/> keeps its data in a folder
/// instead, so a test can stop it (an outage) and start it again on the same port with the same data.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // The well-known development account key that Azurite documents publicly; it guards nothing.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;

    private AzuriteServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The connection string for an Azurite on <paramref name="port"/>; with no server there, storage is down.</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    public static Task<AzuriteServer> StartAsync() => StartAsync(location: null, port: null);

    /// <summary>
    /// Azurite keeping its tables in <paramref name="location"/> (a folder the caller owns and deletes). With
    /// <paramref name="port"/> it listens there (for a restart after <see cref="StopAsync"/>), else on a free port.
    /// </summary>
    public static Task<AzuriteServer> StartPersistentAsync(string location, int? port = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        Directory.CreateDirectory(location);
        return StartAsync(location, port);
    }

    /// <summary>
    /// Stops Azurite as an outage would, but lets it write its data to its folder first (SIGINT, which azurite-table
    /// handles by saving and closing; a kill after 30 s): a persistent server started again on the same port and folder
    /// has everything it had acknowledged.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited && !OperatingSystem.IsWindows())
        {
            using var signal = System.Diagnostics.Process.Start("kill", ["-INT", _process.ProcessId.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!_process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        await _process.DisposeAsync();
    }

    private static async Task<AzuriteServer> StartAsync(string? location, int? port)
    {
        string executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}. Run ./test.sh (it runs npm ci) first.");
        }

        // The port was free a moment ago; if another process takes it first, try another one.
        // A fixed port (a restart) is not retried elsewhere: the app under test is configured for that port.
        for (int attempt = 1; ; attempt++)
        {
            int listenPort = port ?? FreePort.Next();
            string[] storage = location is null ? ["--inMemoryPersistence"] : ["--location", location];
            var process = ChildProcess.Start(
                executable,
                ["--tableHost", "127.0.0.1", "--tablePort", listenPort.ToString(CultureInfo.InvariantCulture), .. storage, "--disableTelemetry", "--skipApiVersionCheck"],
                Path.GetTempPath());
            try
            {
                await process.WaitForPortAsync(listenPort, TimeSpan.FromSeconds(60));
                return new AzuriteServer(process, listenPort);
            }
            catch (Exception) when (attempt < 3 && port is null)
            {
                await process.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => $"Azurite on 127.0.0.1:{Port}\n{_process.Output}";
}
