using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>Running a postmortem in a chat: each command and form, through the real pipeline with real Azurite.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ChatTests
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestMethod]
    public async Task NewStartsAPostmortemAndPostsTheWelcomeCardWithThePrimeDirective()
    {
        await using var chat = await StartAsync();

        var welcome = await chat.SendAsync("new Checkout outage");

        var texts = Cards.Texts(welcome).ToList();
        Assert.AreEqual("Postmortem: Checkout outage", texts[0]);
        Assert.IsTrue(texts.Any(t => t.StartsWith("“Regardless of what we discover", StringComparison.Ordinal)), "the prime directive");
        Assert.IsTrue(texts.Any(t => t.StartsWith("Blameless means", StringComparison.Ordinal)));
        CollectionAssert.AreEqual(new[] { "Summary", "Add timeline entry", "Add idea", "Add action", "Schedule the meeting", "Add a contributing factor" }, Cards.Actions(welcome).Select(a => a["title"]!.GetValue<string>()).ToArray());
    }

    [TestMethod]
    public async Task CommandsBeforeAnyPostmortemExplainHowToStartOne()
    {
        await using var chat = await StartAsync();

        var reply = await chat.SendAsync("entry");

        StringAssert.StartsWith(reply["text"]!.GetValue<string>(), "There's no postmortem in this chat yet.");
    }

    [TestMethod]
    public async Task SubmittingTimelineEntryWithoutActorKeepsValuesAndShowsError()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("add entry");

        var again = await chat.PressAsync(form, "Save entry", Entry(actor: "", description: "Rolled out config 4711", time: "14:05"));

        Assert.AreEqual("Please add who acted (a person, a team or a system).", Cards.ErrorUnder(again, "actor"));
        Assert.AreEqual("Rolled out config 4711", Cards.Input(again, "description")!["value"]!.GetValue<string>());
        Assert.AreEqual("14:05", Cards.Input(again, "occurredTime")!["value"]!.GetValue<string>());
        Assert.AreEqual("Canary would catch it", Cards.Input(again, "expectations")!["value"]!.GetValue<string>());
        Assert.IsNull(Cards.ErrorUnder(again, "description"));
    }

    [TestMethod]
    public async Task BadDateOversizedTextAndUnknownKindAreEachShownUnderTheirField()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("entry");
        var inputs = Entry(actor: "Deploy pipeline", description: "Rolled out", time: "14:05");
        inputs["occurredDate"] = "23/11/2026";
        inputs["outcome"] = new string('x', 2001);
        inputs["kind"] = "blame";

        var again = await chat.PressAsync(form, "Save entry", inputs);

        StringAssert.Contains(Cards.ErrorUnder(again, "occurredDate"), "doesn't look right");
        StringAssert.Contains(Cards.ErrorUnder(again, "outcome"), "2,001 characters long; the limit is 2,000");
        StringAssert.Contains(Cards.ErrorUnder(again, "kind"), "Please choose a kind");
        Assert.AreEqual(new string('x', 2001), Cards.Input(again, "outcome")!["value"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task SavedEntryIsReadOnlyWithEditAndAddAnotherAndAGentleNoteOnWording()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("entry");

        var saved = await chat.PressAsync(form, "Save entry", Entry(actor: "Alex", description: "Alex should have rolled back sooner", time: "14:05"));

        Assert.AreEqual("Timeline entry saved.", Cards.Texts(saved).First());
        Assert.IsNull(Cards.Input(saved, "actor"), "a saved entry shows no inputs");
        Assert.AreEqual("Alex", Cards.Facts(saved)["Who or what"]);
        Assert.AreEqual("Alex Wilber", Cards.Facts(saved)["Added by"]);
        CollectionAssert.AreEquivalent(new[] { "Edit", "Remove", "Add another", "Add a contributing factor" }, Cards.Actions(saved).Select(a => a["title"]!.GetValue<string>()).ToArray());
        Assert.IsTrue(Cards.Texts(saved).Any(t => t.StartsWith("“should have”", StringComparison.Ordinal)), "the blameless note names the phrase");
    }

    [TestMethod]
    public async Task TheSameCardSubmittedTwiceStoresOneEntry()
    {
        await using var chat = await StartAsync();
        var welcome = await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("entry");

        await chat.PressAsync(form, "Save entry", Entry(actor: "Deploy pipeline", description: "Rolled out", time: "14:05"));
        var second = await chat.PressAsync(form, "Save entry", Entry(actor: "Deploy pipeline", description: "Rolled out", time: "14:05"));

        Assert.AreEqual("Timeline entry saved.", Cards.Texts(second).First());
        Assert.HasCount(1, await ListEntriesAsync(chat, welcome));
    }

    [TestMethod]
    public async Task TwoPeopleFillingTheSameCardEachStoreTheirOwnEntryWithTheirOwnName()
    {
        await using var chat = await StartAsync();
        var welcome = await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("entry");

        // The author comes from the activity, never from card data: a forged "author" field is ignored.
        var alexInputs = Entry(actor: "Alex", description: "Paged the database team", time: "14:10");
        alexInputs["author"] = "Someone Else";
        await Task.WhenAll(
            chat.PressAsync(form, "Save entry", alexInputs, Alex),
            chat.PressAsync(form, "Save entry", Entry(actor: "Megan", description: "Saw the error rate rise", time: "14:07"), Megan));

        var entries = await ListEntriesAsync(chat, welcome);
        CollectionAssert.AreEquivalent(new[] { "Alex Wilber", "Megan Bowen" }, entries.Select(e => e.Author.DisplayName).ToArray());
        CollectionAssert.AreEquivalent(new[] { ChatHarness.Alex.AadObjectId, Megan.AadObjectId }, entries.Select(e => e.Author.ObjectId).ToArray());
    }

    [TestMethod]
    public async Task TimelineShowsEntriesInTimeOrderAndEditKeepsTheAuthor()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        foreach (var (time, what) in new[] { ("14:20", "Rolled back"), ("14:05", "Rolled out config 4711"), ("14:12", "Alert fired") })
        {
            await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", Entry(actor: "On-call", description: what, time: time));
        }

        var timeline = await chat.SendAsync("timeline");
        var rows = Cards.Rows(timeline);
        CollectionAssert.AreEqual(new[] { "Rolled out config 4711", "Alert fired", "Rolled back" }, rows.Select(r => Cards.Facts(r)["What happened"]).ToArray());

        var edit = await chat.PressAsync(rows[1], "Edit", from: Megan);
        Assert.AreEqual("Alert fired", Cards.Input(edit, "description")!["value"]!.GetValue<string>());
        var updated = await chat.PressAsync(edit, "Save entry", new() { ["description"] = "Checkout alert fired" }, Megan);
        Assert.AreEqual("Timeline entry updated.", Cards.Texts(updated).First());
        Assert.AreEqual("Alex Wilber", Cards.Facts(updated)["Added by"], "an edit keeps who first wrote the entry");
    }

    [TestMethod]
    public async Task ACardForAnotherTenantsPostmortemIsNotFoundAndChangesNothing()
    {
        await using var tenantA = await StartAsync();
        var welcome = await tenantA.SendAsync("new Checkout outage");
        string postmortemId = Cards.Actions(welcome).First()["data"]!["postmortemId"]!.GetValue<string>();
        await using var tenantB = await StartAsync();

        var data = new JsonObject { ["postmortemId"] = postmortemId, ["cardId"] = "c1" };
        foreach (var (key, value) in Entry(actor: "Mallory", description: "Injected", time: "10:00"))
        {
            data[key] = value;
        }

        var response = await tenantB.InvokeAsync("entry.save", data);

        Assert.AreEqual(404, response["statusCode"]!.GetValue<int>());
        Assert.AreEqual("application/vnd.microsoft.error", response["type"]!.GetValue<string>());
        Assert.IsEmpty(await ListEntriesAsync(tenantA, welcome));
    }

    [TestMethod]
    public async Task AnUnknownPostmortemIdIsNotFound()
    {
        await using var chat = await StartAsync();

        var response = await chat.InvokeAsync("action.save", new JsonObject { ["postmortemId"] = "does-not-exist", ["title"] = "Add an alert" });

        Assert.AreEqual(404, response["statusCode"]!.GetValue<int>());
    }

    [TestMethod]
    public async Task ActionWithoutOwnerOrDueDateIsRefusedWithEachErrorAndTheTitleKept()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("action");

        var again = await chat.PressAsync(form, "Save action", new() { ["title"] = "Alert on canary error rate" });

        Assert.AreEqual("Please choose an owner.", Cards.ErrorUnder(again, "owner"));
        StringAssert.StartsWith(Cards.ErrorUnder(again, "dueDate"), "Please choose a due date");
        Assert.AreEqual("Alert on canary error rate", Cards.Input(again, "title")!["value"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task BeMoreCarefulIsRefusedWithTheReasonAndAnExampleOfARealAction()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(ChatHarness.Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("action");

        var again = await chat.PressAsync(form, "Save action", new() { ["title"] = "Be more careful with config", ["owner"] = Megan.AadObjectId, ["dueDate"] = NextWeek });

        StringAssert.Contains(Cards.ErrorUnder(again, "title"), "asks people to try harder");
        Assert.IsTrue(Cards.Texts(again).Any(t => t.Contains("For example: “Add an alert", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ActionsListShowsOpenActionsByDueDateWithOwnersAndDoneRemovesOne()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(ChatHarness.Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Document the rollback runbook", ["owner"] = ChatHarness.Alex.AadObjectId, ["dueDate"] = NextWeek });
        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Route config changes through the canary", ["owner"] = Megan.AadObjectId, ["dueDate"] = Today, ["category"] = "prevent" });

        var list = await chat.SendAsync("actions");
        var rows = Cards.Rows(list);
        CollectionAssert.AreEqual(new[] { "Megan Bowen", "Alex Wilber" }, rows.Select(r => Cards.Facts(r)["Owner"]).ToArray());
        Assert.AreEqual("Prevent", Cards.Facts(rows[0])["Category"]);

        var after = await chat.PressAsync(rows[0], "Done");

        Assert.HasCount(1, Cards.Rows(after));
        Assert.AreEqual("Alex Wilber", Cards.Facts(Cards.Rows(after)[0])["Owner"]);
    }

    [TestMethod]
    public async Task StatusFromAnOutdatedListIsAConflictAndChangesNothing()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(ChatHarness.Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Add a config schema check", ["owner"] = Megan.AadObjectId, ["dueDate"] = NextWeek });
        var alexList = await chat.SendAsync("actions");
        var meganList = await chat.SendAsync("actions", Megan);

        await chat.PressAsync(Cards.Rows(meganList)[0], "Start", from: Megan);
        var stale = await chat.PressAsync(Cards.Rows(alexList)[0], "Won't do");

        Assert.IsTrue(Cards.Texts(stale).Any(t => t.StartsWith("Someone changed that action", StringComparison.Ordinal)));
        Assert.AreEqual("In progress", Cards.Facts(Cards.Rows(stale)[0])["Status"]);
    }

    [TestMethod]
    public async Task SummaryIsSavedWithItsTimesInTheUsersZone()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("summary");

        var saved = await chat.PressAsync(form, "Save summary", new()
        {
            ["summary"] = "Checkout failed for 12% of customers.",
            ["customerImpact"] = "About 3,000 failed orders.",
            ["severity"] = "Sev2",
            ["startedDate"] = "2026-11-20", ["startedTime"] = "14:00",
            ["detectedDate"] = "2026-11-20", ["detectedTime"] = "14:12",
            ["reportedBy"] = "Customer support",
        });
        var status = await chat.SendAsync("status");

        Assert.AreEqual("Summary saved.", Cards.Texts(saved).First());
        Assert.AreEqual("Checkout failed for 12% of customers.", Cards.Texts(status).ElementAt(1));
        Assert.AreEqual("Sev 2 (major)", Cards.Facts(status)["Severity"]);
        Assert.AreEqual("Fri 20 Nov 2026, 14:00 (Europe/Paris)", Cards.Facts(status)["Started"], "the time names its zone");
        Assert.AreEqual("Draft", Cards.Facts(status)["Status"], "a label, cased as the other facts");
    }

    [TestMethod]
    public async Task DetectionBeforeTheStartIsShownUnderTheDetectionDate()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("summary");

        var again = await chat.PressAsync(form, "Save summary", new()
        {
            ["startedDate"] = "2026-11-20", ["startedTime"] = "14:00",
            ["detectedDate"] = "2026-11-20", ["detectedTime"] = "13:00",
            ["mitigatedDate"] = "2026-11-20",
        });

        StringAssert.Contains(Cards.ErrorUnder(again, "detectedDate"), "before the start");
        Assert.AreEqual("Please add the time too. A rough time is fine.", Cards.ErrorUnder(again, "mitigatedTime"));
    }

    [TestMethod]
    public async Task ListSwitchAndCloseWorkAndOnlyTheFacilitatorCloses()
    {
        await using var chat = await StartAsync();
        var first = await chat.SendAsync("new Checkout outage");
        await chat.SendAsync("new Login latency");
        string firstId = Cards.Actions(first).First()["data"]!["postmortemId"]!.GetValue<string>();

        var list = await chat.SendAsync("list");
        var switched = await chat.SendAsync("switch " + firstId);
        var refused = await chat.SendAsync("close", Megan);
        var closed = await chat.SendAsync("close");

        CollectionAssert.AreEqual(new[] { "Login latency", "Checkout outage" }, Cards.Rows(list).Select(r => Cards.Texts(r).First()).ToArray());
        Assert.AreEqual("“Checkout outage” is now the active postmortem here.", switched["text"]!.GetValue<string>());
        Assert.AreEqual("Only the facilitator, Alex Wilber, can close this postmortem.", refused["text"]!.GetValue<string>());
        StringAssert.StartsWith(closed["text"]!.GetValue<string>(), "“Checkout outage” is closed.");
    }

    private static Dictionary<string, string> Entry(string actor, string description, string time) => new()
    {
        ["occurredDate"] = "2026-11-20",
        ["occurredTime"] = time,
        ["timeZone"] = "Europe/Paris",
        ["actor"] = actor,
        ["description"] = description,
        ["outcome"] = "Error rate rose to 12%",
        ["expectations"] = "Canary would catch it",
        ["assumptions"] = "Config goes through the canary",
        ["kind"] = "action",
    };

    private static async Task<IReadOnlyList<TimelineEntry>> ListEntriesAsync(ChatHarness chat, JsonNode welcome)
    {
        string postmortemId = Cards.Actions(welcome).First()["data"]!["postmortemId"]!.GetValue<string>();
        return await chat.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, postmortemId);
    }
}
