using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Browser;

/// <summary>
/// The tab in headless Chromium against the real app process: an action's priority and its work item link on the
/// postmortem's actions and in my actions, high before medium on the same day, and a removed action not shown; "Mark
/// done" answered with an Undo that puts the action back.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ActionPriorityBrowserTests
{
    private const string LocalTenant = "00000000-0000-0000-0000-0000000000001";

    private static readonly Person LocalUser = new("00000000-0000-0000-0000-0000000000020", "Alex Wilber");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ActionsShowTheirPriorityAndWorkItemLinkHighFirstAndRemovedOnesNotAtAll()
    {
        await using var tab = await TabInBrowser.StartAsync("p");
        var app = tab.App;
        var page = tab.Page;
        string prefix = tab.TablePrefix;
        string connectionString = tab.ConnectionString;
        var postmortem = await SeedAsync(connectionString, prefix);

        try
        {
            foreach (string path in new[] { $"tab/postmortems/{postmortem.Id}", "tab/me" })
            {
                await page.GotoAsync(new Uri(app.BaseUrl, path).ToString());
                var tracked = page.GetByRole(AriaRole.Article).Filter(new() { HasText = "Add a schema check for checkout config" });
                await tracked.WaitForAsync(new() { Timeout = 30_000 });
                StringAssert.Contains(await tracked.InnerTextAsync(), "Priority: High", path);
                var link = tracked.GetByRole(AriaRole.Link, new() { Name = "Open the work item" });
                Assert.AreEqual("https://tracker.example.com/items/42", await link.GetAttributeAsync("href"), path);
                Assert.AreEqual("_blank", await link.GetAttributeAsync("target"), path);

                string all = await page.Locator("main").InnerTextAsync();
                int high = all.IndexOf("Add a schema check for checkout config", StringComparison.Ordinal);
                int medium = all.IndexOf("Route config changes through the canary stage", StringComparison.Ordinal);
                Assert.IsTrue(high >= 0 && high < medium, $"high before medium on the same day ({path}):\n{all}");
                StringAssert.Contains(all, "Priority: Medium");
                Assert.DoesNotContain("Removed: page the whole team", all, $"a removed action is not shown ({path})");
                await page.ScreenshotAsync(new() { Path = Artifact($"tab-priority-{(path.EndsWith("me", StringComparison.Ordinal) ? "me" : "postmortem")}.png"), FullPage = true });
                await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, path);
            }
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Artifact("tab-priority-failure.png"), FullPage = true });
            TestContext.WriteLine(app.Output);
            throw;
        }
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task MarkDoneOffersAnUndoThatTheKeyboardReachesAndThatPutsTheActionBack()
    {
        await using var tab = await TabInBrowser.StartAsync("u");
        var app = tab.App;
        var page = tab.Page;
        string prefix = tab.TablePrefix;
        string connectionString = tab.ConnectionString;
        var postmortem = await SeedAsync(connectionString, prefix);

        const string Title = "Add a schema check for checkout config";
        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, $"tab/postmortems/{postmortem.Id}").ToString());
            var inOpen = page.GetByTestId("column-open").GetByRole(AriaRole.Article).Filter(new() { HasText = Title });
            await inOpen.WaitForAsync(new() { Timeout = 30_000 });
            await inOpen.GetByRole(AriaRole.Button, new() { Name = "Mark done" }).ClickAsync();

            var inDone = page.GetByTestId("column-done").GetByRole(AriaRole.Article).Filter(new() { HasText = Title });
            var undo = inDone.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true });
            await undo.WaitForAsync(new() { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => document.activeElement?.textContent === 'Undo'", null, new() { Timeout = 30_000 });
            await page.GetByTestId("announcer").Filter(new() { HasText = "Undo is next to this message." }).WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            await page.ScreenshotAsync(new() { Path = Artifact("tab-undo-done.png"), FullPage = true });
            await TabInBrowser.AssertNoAccessibilityViolationsAsync(page, "the card with its Undo");

            await page.Keyboard.PressAsync("Enter");

            await inOpen.WaitForAsync(new() { Timeout = 30_000 });
            await page.GetByTestId("announcer").Filter(new() { HasText = "Undone." }).WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            Assert.AreEqual(0, await page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).CountAsync(), "the Undo is gone once used");
            await page.ReloadAsync();
            await inOpen.WaitForAsync(new() { Timeout = 30_000 });
            Assert.AreEqual(0, await inDone.CountAsync(), "open again after a reload: the undo was stored");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Artifact("tab-undo-failure.png"), FullPage = true });
            TestContext.WriteLine(app.Output);
            throw;
        }
    }


    private string Artifact(string name) => TabInBrowser.Artifact(TestContext, name);

    /// <summary>Three actions of the local user due the same day: medium (added first), high with a link, and one removed.</summary>
    private static async Task<Postmortem> SeedAsync(string connectionString, string prefix)
    {
        await using var storage = await TestStorage.CreateAsync(connectionString, prefix);
        var now = DateTimeOffset.UtcNow;
        var created = (await storage.GetRequiredService<PostmortemRepository>().CreateAsync(LocalTenant, TestData.Postmortem(now) with { Title = "Checkout returned 500s", Facilitator = LocalUser, CreatedBy = LocalUser })).Value!;
        var actions = storage.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var due = DateOnly.FromDateTime(now.AddDays(7).UtcDateTime);
        ActionItem Make(string title, ActionPriority priority, int minute, string? link = null) =>
            TestData.Action(created.Id) with { Id = Ids.NewItemId(), Title = title, Owner = LocalUser, DueDate = due, Priority = priority, WorkItemLink = link, CreatedAt = now.AddMinutes(minute) };

        await actions.AddAsync(LocalTenant, created, Make("Route config changes through the canary stage", ActionPriority.Medium, 0));
        await actions.AddAsync(LocalTenant, created, Make("Add a schema check for checkout config", ActionPriority.High, 1, "https://tracker.example.com/items/42"));
        var removed = (await actions.AddAsync(LocalTenant, created, Make("Removed: page the whole team", ActionPriority.High, 2))).Value!;
        await actions.RemoveAsync(LocalTenant, removed, LocalUser);
        return created;
    }
}
