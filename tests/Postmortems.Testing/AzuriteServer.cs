using System.Globalization;

namespace Postmortems.Testing;

/// <summary>
/// A real Azurite Table service (from the repository's node_modules) on a free loopback port, in memory, telemetry
/// off. Dispose stops it and its child processes.
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

    public static async Task<AzuriteServer> StartAsync()
    {
        string executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}. Run ./test.sh (it runs npm ci) first.");
        }

        // The port was free a moment ago; if another process takes it first, try another one.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Next();
            var process = ChildProcess.Start(
                executable,
                ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"],
                Path.GetTempPath());
            try
            {
                await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
                return new AzuriteServer(process, port);
            }
            catch (Exception) when (attempt < 3)
            {
                await process.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => $"Azurite on 127.0.0.1:{Port}\n{_process.Output}";
}
