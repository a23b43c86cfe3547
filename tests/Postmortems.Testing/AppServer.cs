using System.Globalization;
using System.Net;

namespace Postmortems.Testing;

/// <summary>The real app (bot/Postmortems.Bot as built) in its own process on a free loopback port.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private AppServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public string Output => _process.Output;

    /// <summary>The app's process id (the load tool samples its memory).</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Starts the app with these settings (configuration keys such as "Storage:ConnectionString").</summary>
    public static async Task<AppServer> StartAsync(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        string projectDir = Path.Combine(RepositoryRoot.Path, "bot", "Postmortems.Bot");
        string dll = Path.Combine(projectDir, "bin", configuration, "net10.0", "Postmortems.Bot.dll");
        int port = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            // Local-mode invites go to a folder of this run, not into the repository.
            ["Graph__LocalInviteFolder"] = Path.Combine(Path.GetTempPath(), "postmortem-invites-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = ChildProcess.Start("dotnet", [dll], projectDir, environment);
        var server = new AppServer(process, port);
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

    /// <summary>
    /// Waits until GET /healthz answers 200 (storage reachable and every table created), polling with a generous
    /// deadline: a fresh process on a busy machine may take seconds to create its tables after it starts listening.
    /// </summary>
    public async Task WaitUntilHealthyAsync(TimeSpan deadline)
    {
        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var until = DateTimeOffset.UtcNow + deadline;
        HttpStatusCode? last = null;
        while (DateTimeOffset.UtcNow < until)
        {
            using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
            last = response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"The app was not healthy within {deadline.TotalSeconds} s (last answer {last}).\n{Output}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
