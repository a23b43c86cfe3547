using System.Globalization;
using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// A reminder in the real Agents Playground: an action due tomorrow, owned by the Playground's user, is reminded in
/// their personal chat by the app's own scanner and outbox worker; Mark done there takes it off "my actions" in the
/// tab API. Reminders are made due now: one day before, at 00:00, no quiet hours, a scan every 3 seconds.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReminderEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AReminderCardReachesTheOwnerAndMarkingItDoneThereUpdatesTheTabApi()
    {
        await using var session = await PlaygroundSession.StartAsync(new Dictionary<string, string?>
        {
            // Tables of its own, so the scan sees only this test's actions.
            ["Storage:TablePrefix"] = "e" + Guid.NewGuid().ToString("N")[..10],
            ["Postmortems:Reminders:Enabled"] = "true",
            ["Outbox:PollIntervalSeconds"] = "0.5",
            ["Postmortems:Reminders:DaysBefore"] = "1",
            ["Postmortems:Reminders:SendAt"] = "00:00",
            ["Postmortems:Reminders:QuietHoursStart"] = "00:00",
            ["Postmortems:Reminders:QuietHoursEnd"] = "00:00",
            ["Postmortems:Reminders:ScanIntervalMinutes"] = "0.05",
            ["Postmortems:Reminders:DigestDay"] = DateTime.UtcNow.AddDays(3).DayOfWeek.ToString(),
        });
        string title = "Alert on queue depth " + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await session.SendAsync("new Queue backlog");
            var action = await session.SendAsync("action");
            await action.GetByLabel("What will change").FillAsync(title);
            var picker = action.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" });
            await picker.ClickAsync();
            await picker.PressSequentiallyAsync("Alex");
            await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Alex Wilber" }).First.ClickAsync();
            await action.GetByLabel("Due date").FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await session.PressAsync(action, "Save action", "Action saved.");

            var reminder = session.Cards.Filter(new() { HasText = "Your action is due in 1 day" }).Filter(new() { HasText = title });
            await reminder.First.WaitForAsync(new() { Timeout = 60_000 });
            // Answered in place, the card no longer says "due in 1 day": find it by the action's title (the newest card with it).
            await session.PressAsync(session.Cards.Filter(new() { HasText = title }).Last, "Mark done", "Marked done");

            using var http = new HttpClient { BaseAddress = session.AppUrl };
            string mine = await http.GetStringAsync(new Uri("api/me/actions", UriKind.Relative));
            Assert.IsFalse(mine.Contains(title, StringComparison.Ordinal), mine);
            await session.ScreenshotAsync(TestContext, "reminder-marked-done.png");
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "reminder-failure.png");
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }
}
