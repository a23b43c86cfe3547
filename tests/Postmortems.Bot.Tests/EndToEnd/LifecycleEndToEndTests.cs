using System.Globalization;
using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// The life of a postmortem in the real Agents Playground, from the seat of its current user: the invite sent makes it
/// "meeting scheduled", the checklist shows what is missing, publishing (anyway, with a reason) freezes the analysis
/// while action updates go on, reopening needs a reason, and handing the facilitator role over tells the chat and
/// leaves the old facilitator a participant.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LifecycleEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(400_000, CooperativeCancellation = true)]
    public async Task ScheduledPublishedFrozenReopenedAndHandedOverFromTheChat()
    {
        await using var session = await PlaygroundSession.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "l" + Guid.NewGuid().ToString("N")[..10],
            ["Outbox:PollIntervalSeconds"] = "0.5",
        });
        try
        {
            await session.OpenGroupChatAsync("Group Chat");
            await session.SendAsync("new Checkout outage");

            var action = await session.SendAsync("action");
            await action.GetByLabel("What will change").FillAsync("Route config changes through the canary stage");
            var picker = action.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" });
            await picker.ClickAsync();
            await picker.PressSequentiallyAsync("Megan");
            await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Megan Bowen" }).First.ClickAsync();
            await action.GetByLabel("Due date").FillAsync(DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await session.PressAsync(action, "Save action", "Action saved.");

            // The invite going out (an .ics file here, no Graph) is what makes it "meeting scheduled".
            var preview = await session.SendAsync("schedule");
            await session.PressAsync(preview, "Send invite", "Writing the invite");
            await session.Page.GetByText("The postmortem meeting invite is out").First.WaitForAsync(new() { Timeout = 60_000 });
            await WaitForStatusAsync(session, "Meeting scheduled");

            var checklist = await session.SendAsync("publish");
            await checklist.GetByText("✗ The summary is empty").WaitForAsync();
            await checklist.GetByText("✗ The timeline has no entry yet").WaitForAsync();
            await checklist.GetByText("✓ Every action has an owner and a due date").WaitForAsync();
            await session.ScreenshotAsync(TestContext, "chat-publish-checklist.png");
            await checklist.GetByLabel("Why publish anyway").FillAsync("A short internal incident: the group agreed the timeline lives in the incident ticket.");
            await session.PressAsync(checklist, "Publish anyway", "Published: Checkout outage");
            await session.ScreenshotAsync(TestContext, "chat-published.png");

            await session.SayAsync("entry", "This postmortem is published, so its analysis is read-only");
            var actions = await session.SendAsync("actions");
            await session.PressAsync(actions, "Start", "In progress");

            await session.SayAsync("reopen The canary change did not cover the search service.", "is reopened and back in review");
            await WaitForStatusAsync(session, "In review");

            var roles = await session.SendAsync("facilitator");
            var facilitator = roles.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" }).First;
            await facilitator.ClickAsync();
            await facilitator.PressSequentiallyAsync("Megan");
            await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Megan Bowen" }).First.ClickAsync();
            await session.PressAsync(roles, "Save roles", "Megan Bowen facilitates it now.");
            await session.Page.GetByText("Megan Bowen, you facilitate “Checkout outage” now").First.WaitForAsync(new() { Timeout = 30_000 });
            await session.SayAsync("close", "Only the facilitator, Megan Bowen, can close this postmortem.");
            await session.ScreenshotAsync(TestContext, "chat-handover.png");
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "lifecycle-failure.png");
            await File.WriteAllTextAsync(Path.Combine(Postmortems.Testing.RepositoryRoot.Path, ".test-artifacts", "lifecycle-failure.html"), await session.Page.ContentAsync());
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }

    /// <summary>Asks for the status until it shows <paramref name="status"/>: the invite's event arrives through the outbox.</summary>
    private static async Task WaitForStatusAsync(PlaygroundSession session, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var card = await session.SendAsync("status");
            if (await card.GetByText(status, new() { Exact = true }).CountAsync() > 0)
            {
                return;
            }

            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the status became {status}");
            await Task.Delay(1000);
        }
    }
}
