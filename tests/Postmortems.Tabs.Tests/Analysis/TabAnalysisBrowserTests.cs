using Microsoft.Playwright;
using Postmortems.Core.Common;
using Postmortems.Tabs.Tests.Browser;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Analysis;

/// <summary>The postmortem page's analysis sections in headless Chromium against the real app: order, states, authors, hostile text, axe.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabAnalysisBrowserTests
{
    private const string LocalTenant = "00000000-0000-0000-0000-0000000000001";

    private static readonly Person LocalUser = new("00000000-0000-0000-0000-0000000000020", "Alex Wilber");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ThePageShowsTheAnalysisInThePracticesOrderAndPassesAxe()
    {
        await using var tab = await TabInBrowser.StartAsync("b");
        var app = tab.App;
        var page = tab.Page;
        string prefix = tab.TablePrefix;
        string connectionString = tab.ConnectionString;
        Core.Postmortems.Postmortem postmortem;
        await using (var storage = await TestStorage.CreateAsync(connectionString, prefix))
        {
            postmortem = (await AnalysisSeed.SeedAsync(storage, LocalTenant, LocalUser, TestData.Megan)).Postmortem;
        }

        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}").ToString());
            await page.GetByRole(AriaRole.Heading, new() { Name = postmortem.Title }).WaitForAsync(new() { Timeout = 30_000 });

            var headings = await page.GetByRole(AriaRole.Heading, new() { Level = 2 }).AllInnerTextsAsync();
            CollectionAssert.AreEqual(
                new[] { "What is missing", "Summary", "Services and tags", "Seen before", "Impact", "Timeline", "Contributing factors", "What went well", "Where we got lucky", "5 whys", "Remediation ideas", "Actions", "Takeaways" },
                headings.Select(h => h.Trim()).ToArray());

            var change = page.GetByRole(AriaRole.Region, new() { Name = "Change and deployment" });
            StringAssert.Contains(await change.InnerTextAsync(), AnalysisSeed.AddressedFactor);
            StringAssert.Contains(await change.InnerTextAsync(), "Addressed");
            StringAssert.Contains(await change.InnerTextAsync(), "Rolled out config 4711");
            var knowledge = page.GetByRole(AriaRole.Region, new() { Name = "Knowledge and documentation" });
            StringAssert.Contains(await knowledge.InnerTextAsync(), AnalysisSeed.Hostile, "hostile text is shown as text");
            Assert.IsNull(await page.EvaluateAsync<object?>("() => window.hacked ?? null"), "and never runs");
            StringAssert.Contains(await page.GetByRole(AriaRole.Region, new() { Name = "What went well" }).InnerTextAsync(), AnalysisSeed.WentWellText + " (Megan Bowen)");
            StringAssert.Contains(await page.GetByRole(AriaRole.Region, new() { Name = "Where we got lucky" }).InnerTextAsync(), AnalysisSeed.LuckyText);
            StringAssert.Contains(await page.GetByRole(AriaRole.Region, new() { Name = "What is missing" }).InnerTextAsync(), "has no action and is not accepted as a risk");

            await page.ScreenshotAsync(new() { Path = Artifact("tab-analysis.png"), FullPage = true });
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the analysis sections");

            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}?theme=dark").ToString());
            await page.GetByRole(AriaRole.Region, new() { Name = "What is missing" }).WaitForAsync(new() { Timeout = 30_000 });
            await page.ScreenshotAsync(new() { Path = Artifact("tab-analysis-dark.png"), FullPage = true });
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the analysis sections in the dark theme");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Artifact("tab-analysis-failure.png"), FullPage = true });
            TestContext.WriteLine(app.Output);
            throw;
        }
    }

    private string Artifact(string name) => TabInBrowser.Artifact(TestContext, name);
}
