using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Browser;

/// <summary>
/// The tab in headless Chromium against the real app process (Development, loopback: the Agents Playground's local
/// user), with a postmortem seeded in Azurite: the timeline in time order, the actions board, an action marked done
/// that stays done after a reload, the dark theme and Teams' narrow width.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabBrowserTests
{
    /// <summary>The identity the tab uses locally: the Agents Playground's tenant and user (tabs/API.md).</summary>
    private const string LocalTenant = "00000000-0000-0000-0000-0000000000001";

    private static readonly Person LocalUser = new("00000000-0000-0000-0000-0000000000020", "Alex Wilber");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task TimelineIsInOrderAndAnActionMarkedDoneStaysDoneAfterAReload()
    {
        await using var tab = await TabInBrowser.StartAsync("b");
        var app = tab.App;
        var page = tab.Page;
        string prefix = tab.TablePrefix;
        string connectionString = tab.ConnectionString;
        var postmortem = await SeedAsync(connectionString, prefix);

        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}").ToString());
            await page.GetByRole(AriaRole.Heading, new() { Name = postmortem.Title }).WaitForAsync(new() { Timeout = 30_000 });

            string timeline = await page.GetByRole(AriaRole.Region, new() { Name = "Timeline table" }).InnerTextAsync();
            int detect = timeline.IndexOf("Alert fired on checkout errors", StringComparison.Ordinal);
            int rollout = timeline.IndexOf("Rolled out config 4711", StringComparison.Ordinal);
            int rollback = timeline.IndexOf("Rolled back config 4711", StringComparison.Ordinal);
            Assert.IsTrue(rollout >= 0 && rollout < detect && detect < rollback, "time order:\n" + timeline);
            StringAssert.Contains(timeline, "<script>window.hacked=1</script>", "user text is shown as text");
            Assert.IsNull(await page.EvaluateAsync<object?>("() => window.hacked ?? null"), "and never runs");

            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the postmortem page");
            await AssertKeyboardReachesAsync(page, "Mark done");

            var open = page.GetByTestId("column-open");
            await open.GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" }).WaitForAsync();
            await page.ScreenshotAsync(new() { Path = Artifact("tab-postmortem.png"), FullPage = true });

            var card = page.GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" });
            await card.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
            await card.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Done" });
            await card.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await page.GetByTestId("column-done").GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" }).WaitForAsync(new() { Timeout = 30_000 });

            await page.ReloadAsync();
            await page.GetByTestId("column-done").GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" }).WaitForAsync(new() { Timeout = 30_000 });
            Assert.AreEqual(0, await open.GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" }).CountAsync());

            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}?theme=dark").ToString());
            await page.GetByRole(AriaRole.Heading, new() { Name = postmortem.Title }).WaitForAsync(new() { Timeout = 30_000 });
            string background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body.firstElementChild ?? document.body).backgroundColor");
            await page.ScreenshotAsync(new() { Path = Artifact("tab-postmortem-dark.png"), FullPage = true });
            Assert.IsTrue(IsDark(background), "dark theme background: " + background);
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the dark theme");

            await page.SetViewportSizeAsync(320, 800);
            await page.GotoAsync(new Uri(app.BaseUrl, "tab/me").ToString());
            await page.GetByText("Route config changes through the canary stage").First.WaitForAsync(new() { Timeout = 30_000 });
            int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            await page.ScreenshotAsync(new() { Path = Artifact("tab-my-actions-320.png"), FullPage = true });
            Assert.IsTrue(overflow <= 1, $"no sideways scrolling of the page at 320 px ({overflow} px)");

            // At 320 px the timeline is stacked: one card per entry with labelled fields, nothing off to the side.
            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}").ToString());
            var region = page.GetByRole(AriaRole.Region, new() { Name = "Timeline table" });
            var happened = region.GetByText("Rolled back config 4711", new() { Exact = false }).First;
            await happened.WaitForAsync(new() { Timeout = 30_000 });
            await page.ScreenshotAsync(new() { Path = Artifact("tab-postmortem-320.png"), FullPage = true });
            int pageOverflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.IsTrue(pageOverflow <= 0, $"no sideways scrolling of the postmortem page at 320 px ({pageOverflow} px)");
            int timelineOverflow = await region.EvaluateAsync<int>("e => e.scrollWidth - e.clientWidth");
            Assert.IsTrue(timelineOverflow <= 0, $"nor inside the timeline ({timelineOverflow} px)");
            var label = region.Locator("td").Filter(new() { HasText = "Rolled back config 4711" }).GetByText("What happened", new() { Exact = true });
            Assert.IsTrue(await label.IsVisibleAsync(), "each field says what it is");
            foreach (var (what, element) in new[] { ("the label", label), ("the text", happened) })
            {
                var box = await element.BoundingBoxAsync();
                Assert.IsNotNull(box, $"{what} of “What happened” is laid out");
                Assert.IsTrue(box.Width > 0 && box.X >= 0 && box.X + box.Width <= 320, $"{what} of “What happened” is within the 320 px view: x {box.X}, width {box.Width}");
            }

            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the postmortem page at 320 px");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Artifact("tab-failure.png"), FullPage = true });
            TestContext.WriteLine(app.Output);
            throw;
        }
    }

    /// <summary>
    /// Runs axe-core (the accessibility rules engine, from the front end's dev dependencies) in the page: no serious
    /// or critical violation (contrast, names of controls, landmarks, heading order…).
    /// </summary>

    /// <summary>Tabbing from the top of the page reaches a button by that name: it can be used without a mouse.</summary>
    private static async Task AssertKeyboardReachesAsync(IPage page, string buttonName)
    {
        await page.Locator("body").FocusAsync();
        for (int i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            string focused = await page.EvaluateAsync<string>("() => document.activeElement?.textContent?.trim() ?? ''");
            if (focused == buttonName)
            {
                return;
            }
        }

        Assert.Fail($"“{buttonName}” can't be reached with the Tab key.");
    }

    private string Artifact(string name) => TabInBrowser.Artifact(TestContext, name);

    /// <summary>rgb(r, g, b) with every channel under 100.</summary>
    private static bool IsDark(string cssColor)
    {
        var numbers = cssColor.Split('(', ')')[1].Split(',').Take(3).Select(n => int.Parse(n.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return numbers.All(n => n < 100);
    }

    /// <summary>A postmortem of the local tenant, its timeline entered out of order, two actions owned by the local user.</summary>
    private static async Task<Postmortem> SeedAsync(string connectionString, string prefix)
    {
        await using var storage = await TestStorage.CreateAsync(connectionString, prefix);
        var now = DateTimeOffset.UtcNow;
        var postmortem = TestData.Postmortem(now) with { Title = "Checkout returned 500s", Facilitator = LocalUser, CreatedBy = LocalUser };
        var created = (await storage.GetRequiredService<PostmortemRepository>().CreateAsync(LocalTenant, postmortem)).Value!;
        var timeline = storage.GetRequiredService<PostmortemItemStore<TimelineEntry>>();
        var start = now.AddHours(-3);
        foreach (var (minutes, actor, what) in new[] { (15, "Checkout alert", "Alert fired on checkout errors <script>window.hacked=1</script>"), (0, "Deploy pipeline", "Rolled out config 4711"), (30, "On-call engineer", "Rolled back config 4711") })
        {
            await timeline.AddAsync(LocalTenant, created, TestData.TimelineEntry(created.Id) with { Id = Ids.NewItemId(), OccurredAt = start.AddMinutes(minutes), Actor = actor, Description = what });
        }

        var actions = storage.GetRequiredService<PostmortemItemStore<ActionItem>>();
        foreach (var (title, days) in new[] { ("Add a schema check for checkout config", 7), ("Route config changes through the canary stage", 14) })
        {
            await actions.AddAsync(LocalTenant, created, TestData.Action(created.Id) with { Id = Ids.NewItemId(), Title = title, Owner = LocalUser, DueDate = DateOnly.FromDateTime(now.AddDays(days).UtcDateTime) });
        }

        return created;
    }
}
