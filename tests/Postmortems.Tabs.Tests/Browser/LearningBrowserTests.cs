using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Browser;

/// <summary>
/// Search and the overview in headless Chromium against the real app process (Development, loopback: the local
/// identity), with postmortems seeded in Azurite: a search with a filter finds the right ones; the overview's charts
/// render and each table holds the figures the API gives; axe finds nothing serious in the default, dark and
/// high-contrast themes.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LearningBrowserTests
{
    private const string LocalTenant = "00000000-0000-0000-0000-0000000000001";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task SearchFindsByWordAndServiceAndTheOverviewChartsMatchTheirTablesInEveryTheme()
    {
        await using var tab = await TabInBrowser.StartAsync("l");
        var app = tab.App;
        var page = tab.Page;
        string prefix = tab.TablePrefix;
        string connectionString = tab.ConnectionString;
        await SeedAsync(connectionString, prefix);

        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, "tab/").ToString());
            await page.GetByLabel("Search title, summary, factors and takeaways").FillAsync("canary");
            await page.GetByLabel("Service or tag").FillAsync("Checkout");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            var found = page.GetByRole(AriaRole.List, new() { Name = "Postmortems found" });
            await found.GetByRole(AriaRole.Heading).First.WaitForAsync(new() { Timeout = 30_000 });
            var titles = await found.GetByRole(AriaRole.Heading).AllInnerTextsAsync();
            CollectionAssert.AreEqual(new[] { "Checkout config skipped the canary" }, titles.ToList(), "only the checkout postmortem whose factor mentions the canary");
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the search results");

            await page.GotoAsync(new Uri(app.BaseUrl, "tab/overview").ToString());
            await page.GetByTestId("per-month-chart").Locator("svg").First.WaitForAsync(new() { Timeout = 30_000 });
            var figures = await ApiFiguresAsync(page, app.BaseUrl);
            Assert.AreEqual(3, figures.GetProperty("postmortems").GetInt32());
            foreach (string chart in new[] { "per-month", "medians", "members", "kinds" })
            {
                Assert.IsTrue(await page.GetByTestId(chart + "-chart").Locator("svg rect, svg path").CountAsync() > 0, $"the {chart} chart draws something");
            }

            var kinds = await TableAsync(page, "kinds");
            foreach (var kind in figures.GetProperty("kinds").EnumerateArray().Where(k => k.GetProperty("ideas").GetInt32() + k.GetProperty("actions").GetInt32() > 0))
            {
                string label = Label(kind.GetProperty("kind").GetString()!);
                CollectionAssert.AreEqual(new[] { label, kind.GetProperty("ideas").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), kind.GetProperty("actions").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) }, kinds.Single(r => r[0] == label), $"the table's row for {label}");
            }

            var members = await TableAsync(page, "members");
            foreach (var member in figures.GetProperty("members").EnumerateArray())
            {
                var row = members.Single(r => r[0] == member.GetProperty("name").GetString());
                Assert.AreEqual(member.GetProperty("actions").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), row[1]);
                int actions = member.GetProperty("actions").GetInt32(), done = member.GetProperty("done").GetInt32(), overdue = member.GetProperty("overdue").GetInt32();
                Assert.AreEqual(done.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
                Assert.AreEqual((actions - done - overdue).ToString(System.Globalization.CultureInfo.InvariantCulture), row[3], "open and not overdue: the bar's middle part");
                Assert.AreEqual(overdue.ToString(System.Globalization.CultureInfo.InvariantCulture), row[4]);
            }

            StringAssert.Contains(await page.GetByTestId("kinds").InnerTextAsync(), "Quick fixes are more than half");
            string recurring = await page.Locator("section").Filter(new() { HasText = "Conditions that keep coming back" }).Last.InnerTextAsync();
            StringAssert.Contains(recurring, "the canary stage");
            StringAssert.Contains(recurring, "Payments config skipped the canary");
            await page.ScreenshotAsync(new() { Path = Artifact("tab-overview.png"), FullPage = true });
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the overview");

            foreach (string theme in new[] { "dark", "contrast" })
            {
                await page.GotoAsync(new Uri(app.BaseUrl, $"tab/overview?theme={theme}").ToString());
                await page.GetByTestId("per-month-chart").Locator("svg").First.WaitForAsync(new() { Timeout = 30_000 });
                await page.ScreenshotAsync(new() { Path = Artifact($"tab-overview-{theme}.png"), FullPage = true });
                await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, $"the overview in the {theme} theme");
            }
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Artifact("tab-learning-failure.png"), FullPage = true });
            TestContext.WriteLine(app.Output);
            throw;
        }
    }

    private static string Label(string kind) => kind switch
    {
        "detect" => "Detect",
        "react" => "React",
        "quickFix" => "Quick fix",
        "prevent" => "Prevent",
        _ => "Other areas of risk",
    };

    private static async Task<JsonElement> ApiFiguresAsync(IPage page, Uri baseUrl)
    {
        var response = await page.APIRequest.GetAsync(new Uri(baseUrl, "api/overview").ToString());
        using var document = JsonDocument.Parse(await response.TextAsync());
        return document.RootElement.Clone();
    }

    private static async Task<List<string[]>> TableAsync(IPage page, string id)
    {
        var rows = page.GetByTestId(id).Locator("tbody tr");
        var result = new List<string[]>();
        for (int i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add([.. (await rows.Nth(i).Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim())]);
        }

        return result;
    }


    private string Artifact(string name) => TabInBrowser.Artifact(TestContext, name);

    /// <summary>Three postmortems of the local tenant: two with the same condition, one on checkout; quick fixes dominate.</summary>
    private static async Task SeedAsync(string connectionString, string prefix)
    {
        await using var storage = await TestStorage.CreateAsync(connectionString, prefix);
        var postmortems = storage.GetRequiredService<PostmortemRepository>();
        var factors = storage.GetRequiredService<PostmortemItemStore<ContributingFactor>>();
        var actions = storage.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var now = DateTimeOffset.UtcNow;
        var user = new Person("00000000-0000-0000-0000-0000000000020", "Alex Wilber");
        foreach (var (days, title, services, factor) in new[]
        {
            (20, "Payments config skipped the canary", new[] { "payments" }, "Config changes skip the canary stage"),
            (5, "Checkout config skipped the canary", new[] { "checkout" }, "Config changes bypass the canary stage"),
            (2, "Checkout disk full", new[] { "checkout" }, "Disk alert threshold too high"),
        })
        {
            var created = (await postmortems.CreateAsync(LocalTenant, TestData.Postmortem(now.AddDays(-days)) with { Title = title, Services = services, StartedAt = now.AddDays(-days).AddHours(-3), Facilitator = user, CreatedBy = user })).Value!;
            await factors.AddAsync(LocalTenant, created, new ContributingFactor { Id = Ids.NewItemId(), PostmortemId = created.Id, Author = user, CreatedAt = now, Text = factor, Category = Core.Analysis.FactorCategory.ChangeAndDeployment });
            foreach (var (kind, i) in new[] { RemediationCategory.QuickFix, RemediationCategory.QuickFix, RemediationCategory.Detect }.Select((k, i) => (k, i)))
            {
                var action = (await actions.AddAsync(LocalTenant, created, TestData.Action(created.Id) with { Id = Ids.NewItemId(), Category = kind, Owner = kind == RemediationCategory.Detect ? user : TestData.Megan })).Value!;
                if (days == 20 && i != 1)
                {
                    await actions.UpdateAsync(LocalTenant, action with { Status = ActionStatus.Done, UpdatedAt = now }); // one done for each member
                }
                else if (days == 5 && i == 0)
                {
                    await actions.UpdateAsync(LocalTenant, action with { DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-3) }); // Megan's overdue one
                }
            }
        }
    }
}
