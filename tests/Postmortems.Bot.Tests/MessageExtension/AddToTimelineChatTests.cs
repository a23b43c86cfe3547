using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>
/// "Add to postmortem timeline" on a message, through the app's real pipeline and real Azurite: composeExtension/fetchTask
/// opens the entry form filled from the message, composeExtension/submitAction saves it (PROTOCOL.md I.2, I.3).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AddToTimelineChatTests
{
    internal const string FetchTask = "composeExtension/fetchTask";
    internal const string SubmitAction = "composeExtension/submitAction";

    internal static JsonObject Message(string id = "1763640000123", string html = "<p>Rolling back <at id=\"0\">payments-api</at> now</p>", string sender = "Ada Lovelace", string created = "2026-11-20T09:41:07.123Z") => new()
    {
        ["id"] = id,
        ["createdDateTime"] = created,
        ["linkToMessage"] = $"https://teams.microsoft.com/l/message/19:abc@thread.v2/{id}",
        ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "aad-ada", ["displayName"] = sender } },
        ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html },
        ["attachments"] = new JsonArray(),
        ["mentions"] = new JsonArray(),
    };

    internal static JsonObject FetchValue(JsonObject message, string commandId = "addToTimeline") => new()
    {
        ["commandId"] = commandId,
        ["commandContext"] = "message",
        ["context"] = new JsonObject { ["theme"] = "default" },
        ["messagePayload"] = message.DeepClone(),
    };

    /// <summary>What Teams sends when the dialog's button is pressed: the button's data merged with every input's value, plus <paramref name="typed"/>.</summary>
    internal static JsonObject SubmitValue(JsonNode dialogCard, JsonObject message, Dictionary<string, string>? typed = null)
    {
        var submit = ChatCards.Actions(dialogCard).First(a => a["type"]!.GetValue<string>() == "Action.Submit");
        var data = (JsonObject)submit["data"]!.DeepClone();
        foreach (var input in ChatCards.Elements(dialogCard).Where(e => e["type"]?.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal) == true))
        {
            data[input["id"]!.GetValue<string>()] = input["value"]?.GetValue<string>() ?? string.Empty;
        }

        foreach (var (key, value) in typed ?? [])
        {
            data[key] = value;
        }

        var value2 = FetchValue(message);
        value2["data"] = data;
        return value2;
    }

    internal static JsonNode DialogCard(JsonNode? body)
    {
        Assert.AreEqual("continue", body!["task"]!["type"]!.GetValue<string>(), body.ToJsonString());
        return body["task"]!["value"]!["card"]!["content"]!;
    }

    internal static string DialogMessage(JsonNode? body)
    {
        Assert.AreEqual("message", body!["task"]!["type"]!.GetValue<string>(), body.ToJsonString());
        return body["task"]!["value"]!.GetValue<string>();
    }

    [TestMethod]
    public async Task AMessageBecomesAnEntryWithItsTimeToTheSecondItsSenderAsActorAndWhoeverAddedItAsAuthor()
    {
        await using var chat = await StartAsync();
        chat.LocalTimezone = "America/New_York";
        await chat.SendAsync("new Checkout outage");
        var message = Message();

        var (status, fetched) = await chat.InvokeNamedAsync(FetchTask, FetchValue(message), Megan);
        Assert.AreEqual(HttpStatusCode.OK, status);
        var dialog = DialogCard(fetched);
        Assert.AreEqual("2026-11-20", ChatCards.Input(dialog, "occurredDate")!["value"]!.GetValue<string>());
        Assert.AreEqual("04:41:07", ChatCards.Input(dialog, "occurredTime")!["value"]!.GetValue<string>());
        Assert.AreEqual("Ada Lovelace", ChatCards.Input(dialog, "actor")!["value"]!.GetValue<string>());
        Assert.AreEqual("Rolling back payments-api now", ChatCards.Input(dialog, "description")!["value"]!.GetValue<string>());
        Assert.IsNull(ChatCards.Input(dialog, "expectations")!["value"], "expectations are left for the person");
        Assert.IsTrue(ChatCards.Actions(dialog).Any(a => a["type"]!.GetValue<string>() == "Action.OpenUrl" && a["url"]!.GetValue<string>().EndsWith("/1763640000123", StringComparison.Ordinal)));

        var (_, submitted) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message, new() { ["expectations"] = "The rollback takes 5 minutes" }), Megan);

        StringAssert.StartsWith(DialogMessage(submitted), "Added to the timeline of Checkout outage: 2026-11-20 04:41:07 (America/New York), Ada Lovelace.");
        var entry = (await EntriesAsync(chat)).Single();
        Assert.AreEqual(new DateTimeOffset(2026, 11, 20, 9, 41, 7, TimeSpan.Zero), entry.OccurredAt.ToUniversalTime());
        Assert.AreEqual("Ada Lovelace", entry.Actor);
        Assert.AreEqual(Megan.AadObjectId, entry.Author.ObjectId, "the author is who added it, never the message's sender");
        Assert.AreEqual("The rollback takes 5 minutes", entry.Expectations);
        Assert.AreEqual("1763640000123", entry.SourceMessageId);
        Assert.AreEqual("https://teams.microsoft.com/l/message/19:abc@thread.v2/1763640000123", entry.SourceLink!.AbsoluteUri);

        var timeline = await chat.SendAsync("timeline");
        Assert.AreEqual("Rolling back payments\\-api now", ChatCards.Facts(ChatCards.Rows(timeline).Single())["What happened"]);
    }

    [TestMethod]
    public async Task TheSameMessageAddedTwiceIsStoredOnceAndTheSecondTimeOffersToEditIt()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var message = Message();
        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);
        await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message));

        // Megan adds the same message: the dialog says it is there, and saving it edits the one entry.
        var again = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message), Megan)).Body);
        Assert.IsTrue(ChatCards.Texts(again).Any(t => t.Contains("already in the timeline (added by Alex Wilber)", StringComparison.Ordinal)), again.ToJsonString());
        var (_, edited) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(again, message, new() { ["outcome"] = "Error rate back to normal" }), Megan);

        StringAssert.StartsWith(DialogMessage(edited), "Updated in the timeline of Checkout outage");
        var entry = (await EntriesAsync(chat)).Single();
        Assert.AreEqual("Error rate back to normal", entry.Outcome);
        Assert.AreEqual(Alex.AadObjectId, entry.Author.ObjectId, "an edit keeps who first added it");

        // A stale second dialog (opened before the entry existed) finds it there and changes nothing.
        var (_, late) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message), Megan);
        Assert.IsTrue(ChatCards.Texts(DialogCard(late)).Any(t => t.Contains("already in the timeline", StringComparison.Ordinal)));
        Assert.AreEqual("Error rate back to normal", (await EntriesAsync(chat)).Single().Outcome);
    }

    [TestMethod]
    public async Task TheSameSubmitRetriedByTeamsAnswersAddedAndStoresOnce()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var message = Message();
        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);

        var first = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message));
        var retry = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message));

        StringAssert.StartsWith(DialogMessage(first.Body), "Added to the timeline");
        StringAssert.StartsWith(DialogMessage(retry.Body), "Added to the timeline");
        Assert.HasCount(1, await EntriesAsync(chat));
    }

    [TestMethod]
    public async Task WithoutAPostmortemTheDialogOffersToStartOneAndStartsItWithTheEntry()
    {
        await using var chat = await StartAsync();
        var message = Message();

        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);
        Assert.IsNotNull(ChatCards.Input(dialog, "newPostmortemTitle"));
        var (_, untitled) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message));
        Assert.AreEqual("Please give the postmortem a title.", ChatCards.ErrorUnder(DialogCard(untitled), "newPostmortemTitle"));
        Assert.HasCount(0, await ChatPostmortemsAsync(chat));

        var (_, started) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message, new() { ["newPostmortemTitle"] = "Payments rollback" }));

        StringAssert.StartsWith(DialogMessage(started), "Added to the timeline of Payments rollback");
        var status = await chat.SendAsync("timeline");
        Assert.AreEqual("Rolling back payments\\-api now", ChatCards.Facts(ChatCards.Rows(status).Single())["What happened"]);
    }

    [TestMethod]
    public async Task WithSeveralPostmortemsTheDialogOffersAChoiceWithTheActiveOneChosen()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        await chat.SendAsync("new Login latency");
        var message = Message();

        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);
        var choice = ChatCards.Input(dialog, "postmortemId")!;
        CollectionAssert.AreEquivalent(new[] { "Checkout outage", "Login latency" }, choice["choices"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToArray());
        var ids = await ChatPostmortemsAsync(chat);
        var checkout = ids.Single(p => p.Title == "Checkout outage");
        Assert.AreEqual(ids.Single(p => p.Title == "Login latency").Id, choice["value"]!.GetValue<string>(), "the active one (the newest) is chosen");

        var (_, saved) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message, new() { ["postmortemId"] = checkout.Id }));

        StringAssert.StartsWith(DialogMessage(saved), "Added to the timeline of Checkout outage");
        Assert.HasCount(1, await chat.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, checkout.Id));
    }

    [TestMethod]
    public async Task ASubmitNamingAnotherChatsPostmortemIsRefusedAndStoresNothing()
    {
        await using var other = await StartAsync();
        await other.SendAsync("new Someone else's incident");
        var theirs = (await ChatPostmortemsAsync(other)).Single();
        await using var chat = await StartAsync(other.TenantId);
        await chat.SendAsync("new Checkout outage");
        var message = Message();
        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);

        var (status, refused) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message, new() { ["postmortemId"] = theirs.Id }));

        Assert.AreEqual(HttpStatusCode.OK, status);
        StringAssert.StartsWith(DialogMessage(refused), "That postmortem isn't one of this chat's, so nothing was added.");
        Assert.HasCount(0, await other.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(other.TenantId, theirs.Id));
        Assert.HasCount(0, await EntriesAsync(chat));
    }

    [TestMethod]
    public async Task AMissingDescriptionComesBackWithTheValuesKeptAndNothingStored()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var message = Message(html: "<p></p>");

        var dialog = DialogCard((await chat.InvokeNamedAsync(FetchTask, FetchValue(message))).Body);
        Assert.IsTrue(ChatCards.Texts(dialog).Any(t => t.Contains("no text", StringComparison.Ordinal)));
        var (_, again) = await chat.InvokeNamedAsync(SubmitAction, SubmitValue(dialog, message, new() { ["outcome"] = "kept" }));

        var card = DialogCard(again);
        Assert.IsNotNull(ChatCards.ErrorUnder(card, "description"));
        Assert.AreEqual("kept", ChatCards.Input(card, "outcome")!["value"]!.GetValue<string>());
        Assert.HasCount(0, await EntriesAsync(chat));
    }

    private static async Task<IReadOnlyList<Postmortem>> ChatPostmortemsAsync(ChatHarness chat)
    {
        var ids = await chat.Services.GetRequiredService<Bot.Conversations.ConversationStore>().ListPostmortemIdsAsync(chat.TenantId, chat.ConversationId);
        var repository = chat.Services.GetRequiredService<PostmortemRepository>();
        return [.. (await Task.WhenAll(ids.Select(id => repository.GetAsync(chat.TenantId, id)))).OfType<Postmortem>()];
    }

    private static async Task<IReadOnlyList<TimelineEntry>> EntriesAsync(ChatHarness chat)
    {
        var entries = new List<TimelineEntry>();
        foreach (var postmortem in await ChatPostmortemsAsync(chat))
        {
            entries.AddRange(await chat.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, postmortem.Id));
        }

        return entries;
    }
}
