using System.Diagnostics;

namespace Postmortems.Tabs.Tests.Web;

/// <summary>Runs one npm script of the tab's front end (tabs/web) and hands back its exit code and output.</summary>
internal static class TabWebNpm
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, TimeSpan limit)
    {
        var web = Path.Combine(FindRepositoryRoot(), "tabs", "web");
        Assert.IsTrue(Directory.Exists(Path.Combine(web, "node_modules")),
            $"{web}/node_modules is missing: `dotnet build` installs it (npm ci) before the tests run.");

        var start = new ProcessStartInfo("npm", ["run", script])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            Assert.Fail($"npm run {script} did not finish within {limit.TotalSeconds:0} s.\n{await stdout}\n{await stderr}");
        }

        return (npm.ExitCode, $"{await stdout}\n{await stderr}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Teams.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Teams.sln not found above " + AppContext.BaseDirectory);
    }
}
