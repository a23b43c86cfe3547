using System.Globalization;
using System.Text.Json.Nodes;
using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Testing;
using Calendar = Ical.Net.Calendar;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;

namespace Postmortems.Bot.Tests.Meetings;

/// <summary>
/// "schedule" in a chat, through the app's real pipeline, Azurite and the outbox worker, in local mode (no Graph): the
/// preview comes first, nothing is sent until it is confirmed, and the confirmed invite is written as an .ics file.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ScheduleMeetingChatTests
{
    private static readonly string InviteFolder = Path.Combine(Path.GetTempPath(), "chat-invites-" + Guid.NewGuid().ToString("N"));

    private static Task<ChatHarness> StartAsync() => ChatHarness.StartAsync(settings: new Dictionary<string, string?>
    {
        // Tables of its own, so this app's outbox worker sees only this test's items.
        ["Storage:TablePrefix"] = "m" + Guid.NewGuid().ToString("N")[..10],
        ["Outbox:Enabled"] = "true",
        ["Outbox:PollIntervalSeconds"] = "0.2",
        ["Graph:LocalInviteFolder"] = InviteFolder,
    });

    private static async Task<ChatHarness> StartWithPostmortemAsync()
    {
        var chat = await StartAsync();
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        chat.SetRoster(ChatHarness.Alex, ChatHarness.Megan);
        await chat.SendAsync("new Checkout outage <script>alert(1)</script>");
        return chat;
    }

    [TestMethod]
    public async Task ScheduleShowsAPreviewAndSendsNothingUntilConfirmed()
    {
        await using var chat = await StartWithPostmortemAsync();

        var preview = await chat.SendAsync("schedule");

        Assert.AreEqual("Schedule the postmortem meeting", ChatCards.Texts(preview).First());
        Assert.AreEqual("Postmortem: Checkout outage <script>alert(1)</script>", ChatCards.Input(preview, "subject")!["value"]!.GetValue<string>());
        Assert.AreEqual("60", ChatCards.Input(preview, "duration")!["value"]!.GetValue<string>());
        Assert.AreEqual(ChatHarness.Alex.AadObjectId, ChatCards.Input(preview, "organizer")!["value"]!.GetValue<string>(), "the facilitator organizes by default");
        var start = StartOf(preview);
        Assert.IsTrue(start > DateTimeOffset.UtcNow, "a time in the future");
        Assert.IsTrue(start.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), "on a working day");
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<OutboxStore>().ListAsync()).Count, "nothing is sent blind");
    }

    [TestMethod]
    public async Task ConfirmingWritesTheInviteAsAnIcsFileAndSaysWhereItIs()
    {
        await using var chat = await StartWithPostmortemAsync();
        var preview = await chat.SendAsync("schedule");

        var confirmed = await chat.PressAsync(preview, "Send invite");

        Assert.AreEqual("Writing the invite", ChatCards.Texts(confirmed).First());
        var posted = await chat.Connector.WaitForRequestAsync(
            r => r.Method == "POST" && r.Body.Contains("invite is out", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var card = JsonNode.Parse(posted.Body)!["attachments"]![0]!["content"]!;
        string note = ChatCards.Texts(card).Single(t => t.Contains(".ics", StringComparison.Ordinal));
        string file = Directory.GetFiles(InviteFolder, "*.ics").Single(f => note.Contains(f, StringComparison.Ordinal));

        var calendar = Calendar.Load(await File.ReadAllTextAsync(file))!;
        var invite = calendar.Events.Single();
        StringAssert.Contains(invite.Description, Practice.PrimeDirective);
        Assert.AreEqual("Postmortem: Checkout outage <script>alert(1)</script>", invite.Summary);
        Assert.AreEqual(StartOf(preview), new DateTimeOffset(invite.Start!.AsUtc, TimeSpan.Zero));
    }

    [TestMethod]
    public async Task ConfirmingATimeThatHasPassedKeepsTheValuesAndShowsWhy()
    {
        await using var chat = await StartWithPostmortemAsync();
        var preview = await chat.SendAsync("schedule");

        var again = await chat.PressAsync(preview, "Send invite", new() { ["date"] = "2020-01-06", ["subject"] = "Our review" });

        Assert.AreEqual("That time has already passed. Please pick a later one.", ChatCards.ErrorUnder(again, "time"));
        Assert.AreEqual("Our review", ChatCards.Input(again, "subject")!["value"]!.GetValue<string>());
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<OutboxStore>().ListAsync()).Count);
    }

    [TestMethod]
    public async Task OnlyTheFacilitatorCanSendTheInvite()
    {
        await using var chat = await StartWithPostmortemAsync();
        var preview = await chat.SendAsync("schedule", ChatHarness.Megan);

        var answer = await chat.PressAsync(preview, "Send invite", from: ChatHarness.Megan);

        StringAssert.StartsWith(ChatCards.Texts(answer).ElementAt(2), "Only Alex Wilber, who facilitates this postmortem, can send the invite.");
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<OutboxStore>().ListAsync()).Count);
    }

    [TestMethod]
    public async Task ConfirmingTwiceRecordsOneInvite()
    {
        await using var chat = await StartWithPostmortemAsync();
        var preview = await chat.SendAsync("schedule");

        await chat.PressAsync(preview, "Send invite");
        await chat.PressAsync(preview, "Send invite");

        Assert.AreEqual(1, (await chat.Services.GetRequiredService<OutboxStore>().ListAsync()).Count);
    }

    [TestMethod]
    public async Task FollowUpIsProposedThreeWeeksOutWithTheActionOwners()
    {
        await using var chat = await StartWithPostmortemAsync();

        var preview = await chat.SendAsync("followup");

        Assert.AreEqual("Schedule the follow-up meeting", ChatCards.Texts(preview).First());
        var earliest = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(21));
        var proposed = DateOnly.ParseExact(ChatCards.Input(preview, "date")!["value"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.IsTrue(proposed >= earliest.AddDays(-1) && proposed <= earliest.AddDays(4), $"{proposed} is about 3 weeks out");
    }

    [TestMethod]
    public async Task MalformedConfirmationChangesNothing()
    {
        await using var chat = await StartWithPostmortemAsync();
        var preview = await chat.SendAsync("schedule");

        var again = await chat.PressAsync(preview, "Send invite", new() { ["duration"] = "600", ["time"] = "25:99", ["organizer"] = "x'/..\\", ["attendees"] = string.Join(",", Enumerable.Range(0, 150).Select(i => "user" + i)) });

        Assert.IsNotNull(ChatCards.ErrorUnder(again, "duration"));
        Assert.IsNotNull(ChatCards.ErrorUnder(again, "time"));
        Assert.IsNotNull(ChatCards.ErrorUnder(again, "organizer"));
        Assert.IsNotNull(ChatCards.ErrorUnder(again, "attendees"));
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<OutboxStore>().ListAsync()).Count);
    }

    [TestMethod]
    public async Task ConfirmingDuringAStorageOutageSendsNothingAndSaysItWasNotSaved()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var chat = await ChatHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TimeoutSeconds"] = "5",
            ["Graph:LocalInviteFolder"] = InviteFolder,
        });
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        chat.SetRoster(ChatHarness.Alex);
        await chat.SendAsync("new Checkout outage");
        var preview = await chat.SendAsync("schedule");
        await azurite.DisposeAsync();

        var answer = await chat.InvokeAsync(ConfirmVerb(preview), DataOf(preview));

        Assert.AreEqual(503, answer["statusCode"]!.GetValue<int>());
        StringAssert.Contains(answer["value"]!["message"]!.GetValue<string>(), "was not saved");
    }

    private static string ConfirmVerb(JsonNode card) => ChatCards.Actions(card).Single(a => a["title"]!.GetValue<string>() == "Send invite")["verb"]!.GetValue<string>();

    private static JsonObject DataOf(JsonNode card)
    {
        var data = (JsonObject)ChatCards.Actions(card).Single(a => a["title"]!.GetValue<string>() == "Send invite")["data"]!.DeepClone();
        foreach (string id in new[] { "subject", "date", "time", "duration", "organizer", "attendees" })
        {
            data[id] = ChatCards.Input(card, id)?["value"]?.GetValue<string>() ?? string.Empty;
        }

        return data;
    }

    /// <summary>The start the preview proposes, read in the chat user's zone (the harness sends Europe/Paris).</summary>
    private static DateTimeOffset StartOf(JsonNode preview)
    {
        var local = DateTime.ParseExact(
            ChatCards.Input(preview, "date")!["value"]!.GetValue<string>() + " " + ChatCards.Input(preview, "time")!["value"]!.GetValue<string>(),
            "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return Core.Common.TimeZones.FromLocal(local, "Europe/Paris").ToUniversalTime();
    }
}
