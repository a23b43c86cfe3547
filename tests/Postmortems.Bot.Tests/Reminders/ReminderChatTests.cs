using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using CardReader = Postmortems.Bot.Tests.Chat.Cards;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Bot.Reminders;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

/// <summary>
/// A reminder through the app's real pipeline: the scan records it, the outbox worker runs the bot's handler, which
/// creates the owner's 1:1 chat at the stand-in Bot Connector and posts the card there; the card's buttons are
/// answered in place. Tables of its own; reminders due at any time of day (SendAt 00:00, no quiet hours).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReminderChatTests
{
    private static Dictionary<string, string?> Settings() => new()
    {
        ["Storage:TablePrefix"] = "rem" + Guid.NewGuid().ToString("N")[..10],
        ["Postmortems:Reminders:SendAt"] = "00:00",
        ["Postmortems:Reminders:QuietHoursStart"] = "00:00",
        ["Postmortems:Reminders:QuietHoursEnd"] = "00:00",
        // The facilitator's weekly digest is not what these tests are about: not today (in Paris) nor in its window.
        ["Postmortems:Reminders:DigestDay"] = DateTime.UtcNow.AddDays(3).DayOfWeek.ToString(),
    };

    [TestMethod]
    public async Task TheOwnerGetsTheCardInTheir1To1ChatAndMarkingItDoneTakesItOffTheirList()
    {
        await using var chat = await ChatHarness.StartAsync(settings: Settings());
        var (postmortem, action) = await StartWithActionDueTodayAsync(chat);

        chat.Connector.Enqueue(HttpStatusCode.Created, """{"id":"a:personal-alex"}""", pathPrefix: "/svc/v3/conversations");
        Assert.AreEqual(1, await chat.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
        Assert.AreEqual(1, await chat.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));

        var create = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/svc/v3/conversations", TimeSpan.FromSeconds(60));
        var parameters = JsonNode.Parse(create.Body)!;
        Assert.AreEqual("29:alex", parameters["members"]![0]!["id"]!.GetValue<string>(), "the owner's id as Teams gave it");
        Assert.AreEqual(chat.TenantId, parameters["tenantId"]!.GetValue<string>());
        var sent = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/svc/v3/conversations/a%3Apersonal-alex/activities", TimeSpan.FromSeconds(60));
        var card = JsonNode.Parse(sent.Body)!["attachments"]![0]!["content"]!;
        Assert.AreEqual("Your action is due today", CardReader.Texts(card).First());
        Assert.IsTrue(CardReader.Texts(card).Contains(action.Title));
        Assert.IsTrue(CardReader.Texts(card).Contains(postmortem.Title));
        CollectionAssert.AreEqual(new[] { "Mark done", "Start", "Move due date" }, CardReader.Actions(card).Select(a => a["title"]!.GetValue<string>()).ToArray());

        // The 1:1 chat is stored for next time; scanning again records nothing new.
        var contact = await chat.Services.GetRequiredService<UserContactStore>().GetAsync(chat.TenantId, ChatHarness.Alex.AadObjectId);
        Assert.AreEqual("a:personal-alex", contact!.PersonalConversationId);
        Assert.AreEqual("Europe/Paris", contact.TimeZone);
        Assert.IsNotNull(await chat.Services.GetRequiredService<ConversationStore>().GetAsync(chat.TenantId, "a:personal-alex"));
        Assert.AreEqual(0, await chat.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));

        var updated = await chat.PressAsync(card, "Mark done");
        Assert.IsTrue(CardReader.Texts(updated).Any(t => t.StartsWith("Marked done", StringComparison.Ordinal)), updated.ToJsonString());
        CollectionAssert.AreEqual(new[] { "Undo" }, CardReader.Actions(updated).Select(a => a["title"]!.GetValue<string>()).ToArray(), "a finished action has only Undo");
        Assert.AreEqual(ActionStatus.Done, (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().GetAsync(chat.TenantId, postmortem.Id, action.Id))!.Status);
        // "My actions" in the tab (GET /api/me/actions) reads this index: the action is no longer listed.
        Assert.AreEqual(0, (await chat.Services.GetRequiredService<ActionsByOwnerIndex>().ListAsync(chat.TenantId, ChatHarness.Alex.AadObjectId)).Count);

        var undone = await chat.PressAsync(updated, "Undo");
        Assert.IsTrue(CardReader.Texts(undone).Contains("Undone: it is back on your list."), undone.ToJsonString());
        Assert.AreEqual(ActionStatus.Open, (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().GetAsync(chat.TenantId, postmortem.Id, action.Id))!.Status);
        Assert.AreEqual(1, (await chat.Services.GetRequiredService<ActionsByOwnerIndex>().ListAsync(chat.TenantId, ChatHarness.Alex.AadObjectId)).Count, "listed again");
    }

    [TestMethod]
    public async Task AKnown1To1ChatIsUsedAndAFinishedActionIsNotReminded()
    {
        await using var chat = await ChatHarness.StartAsync(settings: Settings());
        var (postmortem, action) = await StartWithActionDueTodayAsync(chat);
        await chat.Services.GetRequiredService<ConversationStore>().SaveAsync(chat.TenantId, new StoredConversation
        {
            ConversationId = "a:known-personal",
            ServiceUrl = new Uri(chat.Connector.BaseUrl, "svc/").ToString(),
            BotId = Protocol.TestActivities.BotId,
            ConversationType = "personal",
        });
        await chat.Services.GetRequiredService<UserContactStore>().SaveAsync(chat.TenantId, new UserContact { ObjectId = ChatHarness.Alex.AadObjectId, PersonalConversationId = "a:known-personal" });

        Assert.AreEqual(1, await chat.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
        await chat.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);
        await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/svc/v3/conversations/a%3Aknown-personal/activities", TimeSpan.FromSeconds(60));
        Assert.IsFalse(chat.Connector.Requests.Any(r => r.Path == "/svc/v3/conversations"), "no new chat created");

        // Another reminder recorded, but the action is done before it is sent: it is skipped.
        var store = chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var current = (await store.GetAsync(chat.TenantId, postmortem.Id, action.Id))!;
        var outbox = chat.Services.GetRequiredService<OutboxStore>();
        await outbox.EnqueueAsync(new OutboxItem
        {
            Id = "late-reminder",
            Operation = ReminderScanner.SendOperation,
            TenantId = chat.TenantId,
            PostmortemId = postmortem.Id,
            Payload = System.Text.Json.JsonSerializer.Serialize(new ActionReminder(action.Id, ChatHarness.Alex.AadObjectId, "overdue-x-1", action.DueDate!.Value, DateTimeOffset.UtcNow, "Europe/Paris"), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
            NextAttemptAt = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await store.UpdateAsync(chat.TenantId, current with { Status = ActionStatus.Done });
        int before = chat.Connector.Requests.Count;
        await chat.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);
        Assert.AreEqual(before, chat.Connector.Requests.Count, "nothing sent");
        Assert.AreEqual("""{"skipped":true}""", (await outbox.GetAsync("late-reminder"))!.Result);
    }

    [TestMethod]
    public async Task MoveDueDateChecksTheDateAndAStaleCardIsToldKindly()
    {
        await using var chat = await ChatHarness.StartAsync(settings: Settings());
        var (postmortem, action) = await StartWithActionDueTodayAsync(chat);
        Assert.AreEqual(1, await chat.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
        await chat.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);
        var sent = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/activities", StringComparison.Ordinal) && r.Body.Contains("Move due date", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var card = JsonNode.Parse(sent.Body)!["attachments"]![0]!["content"]!;

        var past = (await chat.PressAsync(card, "Move due date", new() { ["newDueDate"] = "2020-01-01" }));
        Assert.AreEqual("That date is in the past. Please choose today or a later date.", CardReader.ErrorUnder(past, "newDueDate"));
        var garbage = (await chat.PressAsync(card, "Move due date", new() { ["newDueDate"] = "next week" }));
        Assert.AreEqual("Please pick the new due date from the calendar.", CardReader.ErrorUnder(garbage, "newDueDate"));

        var later = action.DueDate!.Value.AddDays(14);
        var moved = (await chat.PressAsync(card, "Move due date", new() { ["newDueDate"] = later.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.IsTrue(CardReader.Texts(moved).Any(t => t.StartsWith("Due date moved to", StringComparison.Ordinal)), moved.ToJsonString());
        Assert.AreEqual(later, (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().GetAsync(chat.TenantId, postmortem.Id, action.Id))!.DueDate);

        // The first card still carries the version before the move: pressing Start on it changes nothing and says why.
        var stale = await chat.PressAsync(card, "Start");
        Assert.IsTrue(CardReader.Texts(stale).Any(t => t.StartsWith("Someone changed this action a moment ago", StringComparison.Ordinal)), stale.ToJsonString());
        var stored = (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().GetAsync(chat.TenantId, postmortem.Id, action.Id))!;
        Assert.AreEqual(ActionStatus.Open, stored.Status);
        Assert.AreEqual(later, stored.DueDate);
        Assert.AreEqual(stored.ETag, CardReader.Actions(stale).First()["data"]!["etag"]!.GetValue<string>(), "the card now carries the current version");
    }

    /// <summary>"new" in the group chat (Alex's contact and zone are stored from it), then an action Alex owns, due today in Paris.</summary>
    private static async Task<(Postmortem Postmortem, ActionItem Action)> StartWithActionDueTodayAsync(ChatHarness chat)
    {
        // Tables of its own: created here rather than waiting for the app's start-up to create them.
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        await chat.SendAsync("new Checkout outage");
        string id = (await chat.Services.GetRequiredService<ConversationStore>().GetActivePostmortemIdAsync(chat.TenantId, chat.ConversationId))!;
        var postmortem = (await chat.Services.GetRequiredService<PostmortemRepository>().GetAsync(chat.TenantId, id))!;
        var today = DateOnly.FromDateTime(TimeZones.InZone(DateTimeOffset.UtcNow, "Europe/Paris").DateTime);
        var action = TestData.Action(postmortem.Id) with { Owner = new Person(ChatHarness.Alex.AadObjectId, ChatHarness.Alex.Name), DueDate = today };
        var saved = (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().AddAsync(chat.TenantId, postmortem, action)).Value!;
        return (postmortem, saved);
    }
}
