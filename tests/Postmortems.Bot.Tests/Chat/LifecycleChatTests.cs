using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>The life of a postmortem from the chat: roles, review, checklist, publishing, the freeze, closing, reopening.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LifecycleChatTests
{
    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly User Lee = new("29:lee", "Lee Gu", "00000000-0000-0000-0000-0000000000022");

    [TestMethod]
    public async Task TheFacilitatorHandsOverTheNewOneIsToldAndTheOldOneCanNoLongerPublish()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan, Lee);
        string id = IdOf(await chat.SendAsync("new Checkout outage"));

        var refusedForMegan = await chat.PressAsync(await chat.SendAsync("facilitator", Megan), "Save roles", new() { ["facilitator"] = Megan.AadObjectId }, from: Megan);
        var saved = await chat.PressAsync(await chat.SendAsync("facilitator"), "Save roles", new() { ["facilitator"] = Megan.AadObjectId, ["scribe"] = Lee.AadObjectId, ["incidentCommander"] = Alex.AadObjectId });
        var told = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("you facilitate", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var status = await chat.SendAsync("status");
        await chat.SendAsync("review", Megan);
        var alexPublishes = await chat.PressAsync(await chat.SendAsync("publish"), "Publish anyway", new() { ["reason"] = "Trying" });

        Assert.IsTrue(Cards.Texts(refusedForMegan).Contains("Only the facilitator can hand the role over."));
        Assert.IsTrue(Cards.Texts(saved).Contains("Saved. Megan Bowen facilitates it now."));
        Assert.AreEqual("Megan Bowen, you facilitate “Checkout outage” now: Alex Wilber handed the role over. Type status to see where it stands.", JsonNode.Parse(told.Body)!["text"]!.GetValue<string>());
        var facts = Cards.Facts(status);
        Assert.AreEqual("Megan Bowen", facts["Facilitator"]);
        Assert.AreEqual("Lee Gu", facts["Scribe"]);
        Assert.AreEqual("Alex Wilber", facts["Incident commander"]);
        Assert.IsTrue(Cards.Texts(alexPublishes).Contains("Only the facilitator, Megan Bowen, can publish this postmortem."));
        var stored = (await chat.Services.GetRequiredService<PostmortemRepository>().GetAsync(chat.TenantId, id))!;
        Assert.AreEqual(PostmortemStatus.InReview, stored.Status);
        CollectionAssert.AreEqual(
            new[] { LifecycleEventKind.IncidentCommanderChanged, LifecycleEventKind.ScribeChanged, LifecycleEventKind.FacilitatorHandedOver, LifecycleEventKind.StatusChanged },
            stored.History.Select(e => e.Kind).ToArray());
    }

    [TestMethod]
    public async Task APublishedPostmortemRefusesAnalysisChangesButItsActionsGoOnAndTheLastOneClosesIt()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        string id = IdOf(await chat.SendAsync("new Checkout outage"));
        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Route config through the canary", ["owner"] = Megan.AadObjectId, ["dueDate"] = NextWeek });
        var entryForm = await chat.SendAsync("entry", Megan);
        await chat.SendAsync("review");

        var checklist = await chat.SendAsync("publish");
        var withoutReason = await chat.PressAsync(checklist, "Publish anyway");
        var published = await chat.PressAsync(checklist, "Publish anyway", new() { ["reason"] = "An internal tool: no customer impact to write." });
        var typed = await chat.SendAsync("entry", Megan);
        var pressed = await chat.PressAsync(entryForm, "Save entry", new() { ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["timeZone"] = "UTC", ["actor"] = "Deploy bot", ["description"] = "Rolled out config 4711" }, from: Megan);
        var statusButtons = Cards.Actions(await chat.SendAsync("status")).Select(a => a["title"]!.GetValue<string>()).ToArray();
        var done = await chat.PressAsync(Cards.Rows(await chat.SendAsync("actions", Megan))[0], "Done", from: Megan);

        var texts = Cards.Texts(checklist).ToList();
        CollectionAssert.IsSubsetOf(new[] { "✗ The summary is empty", "✗ The customer impact is empty", "✗ The timeline has no entry yet", "✗ No contributing factor yet", "✓ Every action has an owner and a due date" }, texts);
        CollectionAssert.Contains(Cards.Actions(checklist).Select(a => a["title"]!.GetValue<string>()).ToList(), "Write the summary");
        Assert.IsTrue(Cards.Texts(withoutReason).Contains("4 items of the checklist are not met yet. Fill them in, or publish anyway with a reason when they truly do not apply."));
        Assert.AreEqual("Published: Checkout outage", Cards.Texts(published).First());
        Assert.AreEqual("Megan Bowen, " + DateTime.UtcNow.AddDays(7).ToString("d MMM yyyy", CultureInfo.InvariantCulture) + ", open", Cards.Facts(published)["Route config through the canary"]);
        StringAssert.StartsWith(typed["text"]!.GetValue<string>(), "This postmortem is published, so its analysis is read-only");
        StringAssert.StartsWith(pressed.GetValue<string>(), "This postmortem is published, so its analysis is read-only");
        CollectionAssert.AreEqual(new[] { "Actions", "Reopen" }, statusButtons);
        Assert.IsEmpty(Cards.Rows(done), "the action is done");
        var stored = await PollAsync(() => chat.Services.GetRequiredService<PostmortemRepository>().GetAsync(chat.TenantId, id), p => p?.Status == PostmortemStatus.Closed);
        Assert.IsEmpty(await chat.Services.GetRequiredService<Core.Storage.PostmortemItemStore<Core.Timeline.TimelineEntry>>().ListAsync(chat.TenantId, id), "the refused entry changed nothing");
        Assert.AreEqual("An internal tool: no customer impact to write.", stored!.History.Single(e => e.Status == PostmortemStatus.Published).Reason);
        Assert.IsNull(stored.History[^1].By, "closed by the last action, not by a person");
    }

    [TestMethod]
    public async Task ReopeningNeedsTheFacilitatorAndAReasonAndMakesTheAnalysisEditableAgain()
    {
        await using var chat = await StartAsync();
        string id = IdOf(await chat.SendAsync("new Checkout outage"));
        await chat.SendAsync("close");

        var notFacilitator = await chat.SendAsync("reopen It came back", Megan);
        var form = await chat.SendAsync("reopen");
        var noReason = await chat.PressAsync(form, "Reopen", new() { ["reason"] = " " });
        var reopened = await chat.PressAsync(form, "Reopen", new() { ["reason"] = "It came back on Friday." });
        var entry = await chat.SendAsync("entry");

        Assert.AreEqual("Only the facilitator, Alex Wilber, can reopen this postmortem.", notFacilitator["text"]!.GetValue<string>());
        Assert.IsTrue(Cards.Texts(noReason).Contains("Please say why you are reopening it, for example: reopen The fix did not hold under load."));
        Assert.AreEqual("“Checkout outage” is reopened and back in review; the reason is recorded. The analysis can be changed again.", reopened.GetValue<string>());
        Assert.AreEqual("Add a timeline entry", Cards.Texts(entry).First());
        var stored = (await chat.Services.GetRequiredService<PostmortemRepository>().GetAsync(chat.TenantId, id))!;
        Assert.AreEqual(PostmortemStatus.InReview, stored.Status);
        Assert.AreEqual("It came back on Friday.", stored.History[^1].Reason);
    }

    [TestMethod]
    public async Task ACancelledMeetingReturnsTheStatusToDraft()
    {
        await using var chat = await StartAsync();
        string id = IdOf(await chat.SendAsync("new Checkout outage"));
        var repository = chat.Services.GetRequiredService<PostmortemRepository>();
        var stored = (await repository.GetAsync(chat.TenantId, id))!;
        var scheduled = PostmortemLifecycle.Apply(stored, new LifecycleRequest(LifecycleStep.InviteSent, null, DateTimeOffset.UtcNow, MeetingStart: DateTimeOffset.UtcNow.AddDays(2))).Moved!;
        Assert.AreEqual(Core.Storage.WriteStatus.Saved, (await repository.UpdateAsync(chat.TenantId, scheduled)).Status);

        var byMegan = await chat.SendAsync("cancel meeting", Megan);
        var cancelled = await chat.SendAsync("cancel meeting");
        var again = await chat.SendAsync("cancel meeting");

        Assert.AreEqual("Only the facilitator, Alex Wilber, can call off the meeting.", byMegan["text"]!.GetValue<string>());
        StringAssert.StartsWith(cancelled["text"]!.GetValue<string>(), "The meeting is called off and “Checkout outage” is a draft again.");
        Assert.AreEqual("No postmortem meeting is scheduled, so there is nothing to call off.", again["text"]!.GetValue<string>());
        Assert.AreEqual(PostmortemStatus.Draft, (await repository.GetAsync(chat.TenantId, id))!.Status);
    }

    [TestMethod]
    public async Task TheInvitePreviewWarnsAboutBlamingWordingBeforeSending()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        await chat.PressAsync(await chat.SendAsync("summary"), "Save summary", new() { ["summary"] = "He should have checked the config before the rollout." });

        var preview = await chat.SendAsync("schedule");

        var texts = Cards.Texts(preview).ToList();
        Assert.AreEqual("Before you send: a note on wording", texts[0]);
        Assert.IsTrue(texts.Any(t => t.StartsWith("In the summary, “should have", StringComparison.Ordinal)), string.Join(" | ", texts));
        CollectionAssert.Contains(Cards.Actions(preview).Select(a => a["title"]!.GetValue<string>()).ToList(), "Send invite", "it warns, it does not block");
    }

    [TestMethod]
    public async Task TimelineEntriesTakeOptionalSecondsAndTheSameMinuteKeepsTheOrderOfEntry()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        foreach (var (what, seconds) in new[] { ("Alert fired", "40"), ("Deploy started", ""), ("Error rate rose", "05"), ("Pager rang", "") })
        {
            var saved = await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", new()
            {
                ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["occurredSeconds"] = seconds, ["timeZone"] = "UTC", ["actor"] = "Monitoring", ["description"] = what,
            });
            Assert.IsNull(Cards.ErrorUnder(saved, "occurredSeconds"));
        }

        var bad = await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", new()
        {
            ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["occurredSeconds"] = "61", ["timeZone"] = "UTC", ["actor"] = "Monitoring", ["description"] = "Too late",
        });
        var rows = Cards.Rows(await chat.SendAsync("timeline"));

        Assert.AreEqual("Seconds are a whole number from 0 to 59, or leave them empty.", Cards.ErrorUnder(bad, "occurredSeconds"));
        CollectionAssert.AreEqual(new[] { "Deploy started", "Pager rang", "Error rate rose", "Alert fired" }, rows.Select(r => Cards.Facts(r)["What happened"]).ToArray());
        StringAssert.Contains(Cards.Facts(rows[3])["When"], "15:05:40", "in the viewer's zone, with its seconds");
        StringAssert.Contains(Cards.Facts(rows[0])["When"], "15:05 ", "no seconds where there are none");
    }

    private static string IdOf(JsonNode welcome) => Cards.Actions(welcome).First()["data"]!["postmortemId"]!.GetValue<string>();

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }
}
