using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;
using Postmortems.Testing;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;

namespace Postmortems.Bot.Tests.Meetings;

/// <summary>
/// Megan, in Kolkata, schedules a meeting organized by Alex, in New York: the card shows the time in Megan's zone,
/// the slot lies in Alex's working hours, and the event is made in Alex's zone.
/// </summary>
[TestClass]
public sealed class MeetingTimeZoneChatTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [TestMethod]
    public async Task SchedulerInKolkataSeesTheirTimeAndTheEventIsMadeInTheNewYorkOrganizersZone()
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
        await chat.SendAsync("new Checkout outage");
        chat.LocalTimezone = "Asia/Kolkata";

        var preview = await chat.SendAsync("schedule", ChatHarness.Megan);

        StringAssert.Contains(ChatCards.Input(preview, "date")!["label"]!.GetValue<string>(), "Asia/Kolkata");
        var local = DateTime.ParseExact(
            ChatCards.Input(preview, "date")!["value"]!.GetValue<string>() + " " + ChatCards.Input(preview, "time")!["value"]!.GetValue<string>(),
            "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var start = TimeZones.FromLocal(local, "Asia/Kolkata");
        var inNewYork = TimeZoneInfo.ConvertTime(start, NewYork);
        Assert.IsTrue(inNewYork.TimeOfDay >= TimeSpan.FromHours(9) && inNewYork.TimeOfDay <= TimeSpan.FromHours(16), $"{inNewYork} is in the organizer's working hours");
        Assert.IsTrue(inNewYork.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        Assert.AreEqual(0, inNewYork.Minute % 15, "on a quarter hour");

        await chat.PressAsync(preview, "Send invite", from: ChatHarness.Megan);
        await graph.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var created = graph.Events.Single();
        Assert.AreEqual(ChatHarness.Alex.AadObjectId, created.UserId, "on the organizer's calendar");
        Assert.AreEqual("Eastern Standard Time", created.Json["start"]!["timeZone"]!.GetValue<string>());
        Assert.AreEqual(inNewYork.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), created.Json["start"]!["dateTime"]!.GetValue<string>()[..19]);
        Assert.AreEqual(inNewYork.AddMinutes(60).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), created.Json["end"]!["dateTime"]!.GetValue<string>()[..19]);
        Assert.IsTrue(created.Json["attendees"]!.AsArray().Any(a => a!["emailAddress"]!["address"]!.GetValue<string>() == ChatHarness.Megan.AadObjectId + "@contoso.test"), "Megan is invited");
    }
}
