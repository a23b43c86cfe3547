using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;
using Postmortems.Testing;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;

namespace Postmortems.Bot.Tests.Meetings;

/// <summary>
/// Megan, in Kolkata, facilitates and schedules a meeting organized by Alex, in New York: the card shows times in
/// Megan's zone, and the event is made on Alex's calendar in the zone his calendar reports.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MeetingTimeZoneChatTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [TestMethod]
    public async Task SchedulerInKolkataEntersTheirTimeAndTheEventIsMadeInTheNewYorkOrganizersZone()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        graph.SetSchedule(ChatHarness.Alex.AadObjectId + "@contoso.test", new FakeSchedule
        {
            WorkingHours = new FakeWorkingHours("Eastern Standard Time", new TimeOnly(9, 0), new TimeOnly(17, 0),
                [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]),
        });
        await using var chat = await ChatHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "z" + Guid.NewGuid().ToString("N")[..10],
            ["Outbox:Enabled"] = "true",
            ["Outbox:PollIntervalSeconds"] = "0.2",
            ["Graph:TenantId"] = Guid.NewGuid().ToString(),
            ["Graph:ClientId"] = Guid.NewGuid().ToString(),
            ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
        });
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        chat.SetRoster(ChatHarness.Alex, ChatHarness.Megan);
        chat.LocalTimezone = "Asia/Kolkata";
        await chat.SendAsync("new Checkout outage", ChatHarness.Megan);

        var preview = await chat.SendAsync("schedule", ChatHarness.Megan);
        StringAssert.Contains(ChatCards.Input(preview, "date")!["label"]!.GetValue<string>(), "Asia/Kolkata");
        var proposed = StartOf(preview);
        Assert.IsTrue(proposed > DateTimeOffset.UtcNow.AddMinutes(59), "at least an hour's notice");

        // Megan, the facilitator, makes Alex the organizer and picks 09:00 New York time on the next working day,
        // which she enters in her own time.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime).AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        var nineInNewYork = TimeZones.FromLocal(day.ToDateTime(new TimeOnly(9, 0)), "America/New_York");
        var inKolkata = TimeZones.InZone(nineInNewYork, "Asia/Kolkata");
        await chat.PressAsync(preview, "Send invite", new()
        {
            ["organizer"] = ChatHarness.Alex.AadObjectId,
            ["attendees"] = ChatHarness.Megan.AadObjectId,
            ["date"] = inKolkata.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time"] = inKolkata.ToString("HH:mm", CultureInfo.InvariantCulture),
        }, ChatHarness.Megan);
        await graph.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var created = (await graph.WaitForEventsAsync(1, TimeSpan.FromSeconds(60))).Single();
        Assert.AreEqual(ChatHarness.Alex.AadObjectId, created.UserId, "on the organizer's calendar");
        Assert.AreEqual("Eastern Standard Time", created.Json["start"]!["timeZone"]!.GetValue<string>(), "the zone Alex's calendar reports");
        Assert.AreEqual(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:00:00", created.Json["start"]!["dateTime"]!.GetValue<string>()[..19]);
        Assert.AreEqual(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00:00", created.Json["end"]!["dateTime"]!.GetValue<string>()[..19]);
        Assert.IsTrue(created.Json["attendees"]!.AsArray().Any(a => a!["emailAddress"]!["address"]!.GetValue<string>() == ChatHarness.Megan.AadObjectId + "@contoso.test"), "Megan is invited");
    }

    private static DateTimeOffset StartOf(System.Text.Json.Nodes.JsonNode preview) =>
        TimeZones.FromLocal(
            DateTime.ParseExact(
                ChatCards.Input(preview, "date")!["value"]!.GetValue<string>() + " " + ChatCards.Input(preview, "time")!["value"]!.GetValue<string>(),
                "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            "Asia/Kolkata");
}
