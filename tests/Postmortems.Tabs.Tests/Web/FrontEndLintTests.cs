namespace Postmortems.Tabs.Tests.Web;

/// <summary>Runs ESLint over the tab's code (npm run lint in tabs/web: typescript-eslint and the React hooks rules).</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class FrontEndLintTests
{
    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task TabCodePassesEslintWithNoWarnings()
    {
        // Type-checked rules load the whole TypeScript program: seconds alone, much longer beside a full test run.
        var (exitCode, output) = await TabWebNpm.RunAsync("lint", TimeSpan.FromSeconds(540));
        Assert.AreEqual(0, exitCode, $"ESLint found problems (npm run lint in tabs/web):\n{output}");
    }
}
