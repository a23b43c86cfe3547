using System.Diagnostics;

namespace Postmortems.Tabs.Tests.Web;

/// <summary>Runs the tab front end's own tests (vitest, in tabs/web) so ./test.sh covers them too.</summary>
[TestClass]
public sealed class FrontEndUnitTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(540);

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task VitestPasses()
    {
        var web = Path.Combine(FindRepositoryRoot(), "tabs", "web");
        Assert.IsTrue(Directory.Exists(Path.Combine(web, "node_modules")),
            $"{web}/node_modules is missing: `dotnet build` installs it (npm ci) before the tests run.");

        var start = new ProcessStartInfo("npm", "test")
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
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            Assert.Fail($"vitest did not finish within {Limit.TotalSeconds:0} s.\n{await stdout}\n{await stderr}");
        }

        var output = $"{await stdout}\n{await stderr}";
        Assert.AreEqual(0, npm.ExitCode, $"vitest failed (npm test in {web}):\n{output}");
        StringAssert.Contains(output, "passed", "vitest reported no passing tests:\n" + output);
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
