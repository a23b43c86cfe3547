using System.Diagnostics;
using System.Text;

namespace Postmortems.Testing;

/// <summary>
/// A real Azurite Table service (from the repository's node_modules) on a free loopback port, in memory, telemetry
/// off. Dispose stops it and its child processes.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // The well-known development account key that Azurite documents publicly; it guards nothing.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteServer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public bool IsRunning => !_process.HasExited;

    public static async Task<AzuriteServer> StartAsync()
    {
        string executable = Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}. Run ./test.sh (it runs npm ci) first.");
        }

        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Next();
            var output = new StringBuilder();
            var process = StartProcess(executable, port, output);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                if (await FreePort.IsListeningAsync(port))
                {
                    return new AzuriteServer(process, port, output);
                }

                await Task.Delay(100);
            }

            Stop(process);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start on port {port}:\n{output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public override string ToString() => $"Azurite on 127.0.0.1:{Port}\n{_output}";

    private static Process StartProcess(string executable, int port, StringBuilder output)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string arg in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
