using System.Globalization;
using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// What a user does in the Agents Playground shows in the tab at once: a postmortem and an action made in the chat
/// are listed in the tab (as the same local user), and the action can be marked done there.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabAfterChatEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task APostmortemMadeInTheChatIsInTheTabAndItsActionCanBeMarkedDoneThere()
    {
        await using var session = await PlaygroundSession.StartAsync();
        string title = "Search outage " + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await session.SendAsync("new " + title);
            var action = await session.SendAsync("action");
            await action.GetByLabel("What will change").FillAsync("Alert on search latency above 2 s");
            var picker = action.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" });
            await picker.ClickAsync();
            await picker.PressSequentiallyAsync("Alex");
            await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Alex Wilber" }).First.ClickAsync();
            await action.GetByLabel("Due date").FillAsync(DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await session.PressAsync(action, "Save action", "Action saved.");

            await using var tabContext = await session.Page.Context.Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
            var tab = await tabContext.NewPageAsync();
            await tab.GotoAsync(new Uri(session.AppUrl, "tab/").ToString());
            await tab.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync(new() { Timeout = 30_000 });
            var card = tab.GetByTestId("column-open").GetByRole(AriaRole.Article).Filter(new() { HasText = "Alert on search latency above 2 s" });
            await card.WaitForAsync(new() { Timeout = 30_000 });
            StringAssert.Contains(await card.InnerTextAsync(), "Alex Wilber");
            await card.GetByRole(AriaRole.Button, new() { Name = "Mark done" }).ClickAsync();
            await tab.GetByTestId("column-done").GetByRole(AriaRole.Article).Filter(new() { HasText = "Alert on search latency above 2 s" }).WaitForAsync(new() { Timeout = 30_000 });

            // The chat sees the change too: no open actions are left.
            var actions = await session.SendAsync("actions");
            Assert.IsFalse((await actions.InnerTextAsync()).Contains("Alert on search latency above 2 s", StringComparison.Ordinal));
            await tab.ScreenshotAsync(new() { Path = Path.Combine(Postmortems.Testing.RepositoryRoot.Path, ".test-artifacts", "tab-after-chat.png"), FullPage = true });
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "tab-after-chat-failure.png");
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }
}
