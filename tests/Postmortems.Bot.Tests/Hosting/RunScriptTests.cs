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
[TestCategory("Integration")]
public sealed class RunScriptTests
{
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task RunScriptStartsStorageAppAndPlaygroundAndStopsThemAll()
    {
        var run = StartScript();
        var (script, output) = (run.Script, run.Output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var health = await PollAsync(http, $"http://localhost:{run.AppPort}/healthz", TimeSpan.FromSeconds(120), script);
            Assert.AreEqual(HttpStatusCode.OK, health, $"/healthz did not answer 200.\n{output}");
            var playground = await PollAsync(http, $"http://localhost:{run.PlaygroundPort}/", TimeSpan.FromSeconds(60), script);
            Assert.AreEqual(HttpStatusCode.OK, playground, $"the Playground did not answer.\n{output}");
        }
        finally
        {
            await StopAndCheckNothingIsLeftAsync(run);
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task StoppingRunScriptWhileItIsStillStartingLeavesNothingBehind()
    {
        var run = StartScript();

        // Ctrl+C as soon as storage is up, while the app and the Playground are still starting.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await FreePort.IsListeningAsync(run.StoragePort) && DateTime.UtcNow < deadline && !run.Script.HasExited)
        {
            await Task.Delay(50);
        }

        await StopAndCheckNothingIsLeftAsync(run);
    }

    private sealed record ScriptRun(Process Script, System.Text.StringBuilder Output, int AppPort, int StoragePort, int PlaygroundPort, string DataDir);

    private static ScriptRun StartScript()
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
        var script = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        script.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        return new ScriptRun(script, output, appPort, storagePort, playgroundPort, dataDir);
    }

    /// <summary>What Ctrl+C does in a terminal: the script's trap stops the three process groups, and it exits promptly.</summary>
    private static async Task StopAndCheckNothingIsLeftAsync(ScriptRun run)
    {
        using (var kill = Process.Start("kill", ["-TERM", run.Script.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using (var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await run.Script.WaitForExitAsync(stopped.Token);
            }
            catch (OperationCanceledException)
            {
                run.Script.Kill(entireProcessTree: true);
                Assert.Fail($"run.sh did not exit within 30 s of TERM.\n{run.Output}");
            }
        }

        // A process the script stopped may take a moment to close its port and go: wait for that, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (int port in new[] { run.AppPort, run.StoragePort, run.PlaygroundPort })
        {
            while (await FreePort.IsListeningAsync(port) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.IsFalse(await FreePort.IsListeningAsync(port), $"something still listens on {port} after the script stopped.\n{run.Output}");
        }

        while (ProcessesMentioning(run.DataDir).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.IsEmpty(ProcessesMentioning(run.DataDir), $"processes left behind.\n{run.Output}");
        run.Script.Dispose();
        Directory.Delete(run.DataDir, recursive: true);
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
