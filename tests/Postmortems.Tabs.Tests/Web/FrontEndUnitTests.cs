namespace Postmortems.Tabs.Tests.Web;

/// <summary>Runs the tab front end's own tests (vitest, in tabs/web) so ./test.sh covers them too.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class FrontEndUnitTests
{
    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task VitestPasses()
    {
        var (exitCode, output) = await TabWebNpm.RunAsync("test", TimeSpan.FromSeconds(540));
        Assert.AreEqual(0, exitCode, $"vitest failed (npm test in tabs/web):\n{output}");
        StringAssert.Contains(output, "passed", "vitest reported no passing tests:\n" + output);
    }
}
