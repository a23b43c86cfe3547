using Postmortems.Core.Postmortems;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// Scheduling the postmortem meeting in the real Agents Playground, with the app's Graph calls going to a local
/// stand-in for Microsoft Graph: the preview, the confirmation, and the event that arrives at "Graph".
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ScheduleMeetingEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ScheduleAndConfirmInTheChatCreatesTheEventInGraphAndPostsTheJoinLink()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var session = await PlaygroundSession.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "e" + Guid.NewGuid().ToString("N")[..10],
            ["Graph:TenantId"] = Guid.NewGuid().ToString(),
            ["Graph:ClientId"] = Guid.NewGuid().ToString(),
            ["Graph:ClientSecret"] = "unused-on-loopback",
            ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["Outbox:PollIntervalSeconds"] = "0.5",
        });
        try
        {
            await session.SendAsync("new Checkout outage");

            var preview = await session.SendAsync("schedule");
            await preview.GetByText("Schedule the postmortem meeting").First.WaitForAsync();
            await preview.GetByText("Everyone's calendar is free at the proposed time.").WaitForAsync();
            await session.ScreenshotAsync(TestContext, "chat-schedule-preview.png");
            await session.PressAsync(preview, "Send invite", "The invite is on its way");

            await session.Page.GetByText("The postmortem meeting invite is out").First.WaitForAsync(new() { Timeout = 30_000 });
            await session.Page.GetByText("Join the Teams meeting").First.WaitForAsync();
            await session.ScreenshotAsync(TestContext, "chat-invite-sent.png");

            var created = (await graph.WaitForEventsAsync(1, TimeSpan.FromSeconds(60))).Single();
            Assert.AreEqual("Postmortem: Checkout outage", created.Json["subject"]!.GetValue<string>());
            Assert.IsTrue(created.Json["isOnlineMeeting"]!.GetValue<bool>());
            StringAssert.Contains(created.Json["body"]!["content"]!.GetValue<string>(), Practice.PrimeDirective);
            Assert.IsTrue(graph.Requests.Any(r => r.Path.EndsWith("/calendar/getSchedule", StringComparison.Ordinal)), "the proposal read calendars");
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "schedule-failure.png");
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }
}
