using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests;

/// <summary>Every route of tabs/API.md through the real app, with real Azurite and real tokens.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabApiTests
{
    private static TabApp _app = null!;

    private static PostmortemRepository Postmortems => _app.Service<PostmortemRepository>();

    private static PostmortemItemStore<ActionItem> Actions => _app.Service<PostmortemItemStore<ActionItem>>();

    [ClassInitialize]
    public static async Task Start(TestContext context) => _app = await TabApp.StartSignedInAsync();

    [ClassCleanup]
    public static async Task Stop() => await _app.DisposeAsync();

    [TestMethod]
    public async Task TheListPagesNewestFirstWithoutDuplicates()
    {
        string tenant = TestData.NewTenantId();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        for (int i = 0; i < 25; i++)
        {
            await Postmortems.CreateAsync(tenant, TestData.Postmortem(start.AddMinutes(i)) with { Title = $"Incident {i}" });
        }

        using var client = Client(tenant, TestData.Alex);
        var pages = new List<JsonElement>();
        string? continuation = null;
        do
        {
            string url = "/api/postmortems?pageSize=10" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation));
            var page = await TabApp.JsonAsync(await client.GetAsync(new Uri(url, UriKind.Relative)));
            pages.Add(page);
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null && pages.Count < 5);

        CollectionAssert.AreEqual(new[] { 10, 10, 5 }, pages.Select(p => p.GetProperty("items").GetArrayLength()).ToArray());
        var titles = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("title").GetString()).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, 25).Reverse().Select(i => $"Incident {i}").ToList(), titles, "newest first, each once");
        var first = pages[0].GetProperty("items")[0];
        Assert.AreEqual("open", first.GetProperty("status").GetString());
        Assert.AreEqual("sev2", first.GetProperty("severity").GetString());
        Assert.AreEqual(TestData.Alex.ObjectId, first.GetProperty("facilitator").GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task TheListFiltersOpenAndClosed()
    {
        string tenant = TestData.NewTenantId();
        foreach (var status in new[] { PostmortemStatus.Draft, PostmortemStatus.MeetingScheduled, PostmortemStatus.InReview, PostmortemStatus.Published, PostmortemStatus.Closed, PostmortemStatus.Closed })
        {
            await Postmortems.CreateAsync(tenant, TestData.Postmortem() with { Status = status });
        }

        using var client = Client(tenant, TestData.Alex);

        var open = await AllPagesAsync(client, "open");
        var closed = await AllPagesAsync(client, "closed");
        var all = await AllPagesAsync(client, null);

        Assert.HasCount(4, open);
        Assert.IsTrue(open.All(i => i.GetProperty("status").GetString() == "open"));
        Assert.HasCount(2, closed);
        Assert.IsTrue(closed.All(i => i.GetProperty("status").GetString() == "closed"));
        Assert.HasCount(6, all);
    }

    [TestMethod]
    [DataRow("?pageSize=0", "pageSize")]
    [DataRow("?pageSize=51", "pageSize")]
    [DataRow("?pageSize=ten", "pageSize")]
    [DataRow("?status=archived", "status")]
    public async Task TheListRefusesBadQueryValues(string query, string field)
    {
        using var client = Client(TestData.NewTenantId(), TestData.Alex);

        var problem = await TabApp.ProblemAsync(await client.GetAsync(new Uri("/api/postmortems" + query, UriKind.Relative)), HttpStatusCode.BadRequest);

        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [TestMethod]
    public async Task APostmortemReadsWholeWithEnumsAsCamelCaseStrings()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        await _app.Service<PostmortemItemStore<Core.Timeline.TimelineEntry>>().AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id));
        await _app.Service<PostmortemItemStore<RemediationIdea>>().AddAsync(tenant, postmortem, Idea(postmortem.Id, RemediationCategory.QuickFix, "Feature flag to turn off the new config"));
        await _app.Service<PostmortemItemStore<FiveWhys>>().AddAsync(tenant, postmortem, new FiveWhys { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Problem = "Checkout failed", Whys = ["Config invalid", "No schema check"] });
        using var client = Client(tenant, TestData.Alex);

        var body = await TabApp.JsonAsync(await client.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}", UriKind.Relative)));

        Assert.AreEqual(postmortem.Title, body.GetProperty("title").GetString());
        Assert.AreEqual("sev2", body.GetProperty("severity").GetString());
        Assert.AreEqual("open", body.GetProperty("status").GetString());
        Assert.AreEqual("Customer support", body.GetProperty("reportedBy").GetString());
        var entry = body.GetProperty("timeline")[0];
        Assert.AreEqual("action", entry.GetProperty("kind").GetString());
        Assert.AreEqual("2026-11-20T14:05:00+01:00", entry.GetProperty("occurredAt").GetString(), "the instant keeps its zone's offset");
        Assert.AreEqual("quickFix", body.GetProperty("ideas")[0].GetProperty("category").GetString());
        var readAction = body.GetProperty("actions")[0];
        Assert.AreEqual(action.Id, readAction.GetProperty("id").GetString());
        Assert.AreEqual("prevent", readAction.GetProperty("category").GetString());
        Assert.AreEqual("open", readAction.GetProperty("status").GetString());
        Assert.AreEqual(action.DueDate!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), readAction.GetProperty("dueDate").GetString());
        Assert.AreEqual(action.ETag, readAction.GetProperty("etag").GetString());
        Assert.AreEqual(postmortem.Title, readAction.GetProperty("postmortemTitle").GetString());
        Assert.AreEqual(JsonValueKind.Null, readAction.GetProperty("updatedAt").ValueKind);
        Assert.AreEqual(2, body.GetProperty("whys")[0].GetProperty("whys").GetArrayLength());
        Assert.AreEqual(0, body.GetProperty("takeaways").GetArrayLength());
    }

    [TestMethod]
    public async Task ThePostmortemsActionsComeByDueDate()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, later) = await NewPostmortemWithActionAsync(tenant, dueInDays: 20);
        var sooner = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(3) })).Value!;
        using var client = Client(tenant, TestData.Alex);

        var body = await TabApp.JsonAsync(await client.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}/actions", UriKind.Relative)));

        CollectionAssert.AreEqual(new[] { sooner.Id, later.Id }, body.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToArray());
    }

    [TestMethod]
    public async Task MarkingAnActionDoneSavesItAndTakesItOffMyActions()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        using var megan = Client(tenant, TestData.Megan);
        Assert.AreEqual(1, (await MyActionsAsync(megan)).Count);

        var response = await PatchAsync(megan, postmortem.Id, action.Id, action.ETag, """{ "status": "done" }""");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var saved = await TabApp.JsonAsync(response);
        Assert.AreEqual("done", saved.GetProperty("status").GetString());
        Assert.AreNotEqual(action.ETag, saved.GetProperty("etag").GetString());
        Assert.AreEqual(saved.GetProperty("etag").GetString(), response.Headers.ETag?.ToString() ?? string.Join(",", response.Headers.GetValues("ETag")));
        var reloaded = await TabApp.JsonAsync(await megan.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}/actions", UriKind.Relative)));
        Assert.AreEqual("done", reloaded.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.AreEqual(0, (await MyActionsAsync(megan)).Count);
    }

    [TestMethod]
    public async Task ReassigningAnActionMovesItToTheNewOwnersList()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        using var megan = Client(tenant, TestData.Megan);
        using var alex = Client(tenant, TestData.Alex);

        var response = await PatchAsync(megan, postmortem.Id, action.Id, action.ETag, $$"""{ "owner": { "id": "{{TestData.Alex.ObjectId}}", "name": "Alex Wilber" }, "dueDate": "{{Today.AddDays(30):yyyy-MM-dd}}" }""");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual(0, (await MyActionsAsync(megan)).Count);
        var alexs = await MyActionsAsync(alex);
        Assert.AreEqual(action.Id, alexs.Single().GetProperty("id").GetString());
        Assert.AreEqual(postmortem.Title, alexs.Single().GetProperty("postmortemTitle").GetString());
    }

    [TestMethod]
    public async Task ASavedChangeAsksForTheFollowUpMeetingToBeRefreshed()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        await _app.Service<PostmortemItemStore<ScheduledMeeting>>().AddAsync(tenant, postmortem, FollowUp(tenant, postmortem));
        using var client = Client(tenant, TestData.Megan);

        var response = await PatchAsync(client, postmortem.Id, action.Id, action.ETag, """{ "status": "inProgress" }""");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var refresh = await _app.Service<OutboxStore>().GetAsync(Ids.DerivedId($"{MeetingScheduler.RefreshFollowUpOperation}|{tenant}|{postmortem.Id}"));
        Assert.IsNotNull(refresh, "the follow-up body is refreshed through the outbox, as after a change in the chat");
    }

    [TestMethod]
    public async Task AForgedContinuationTokenCannotReachAnotherTenant()
    {
        string tenantA = TestData.NewTenantId();
        await Postmortems.CreateAsync(tenantA, TestData.Postmortem());
        using var tenantB = Client(TestData.NewTenantId(), TestData.Alex);

        foreach (string forged in new[] { tenantA + " ", "garbage", "a b c" })
        {
            var response = await tenantB.GetAsync(new Uri("/api/postmortems?continuation=" + Uri.EscapeDataString(forged), UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.AreEqual(0, (await TabApp.JsonAsync(response)).GetProperty("items").GetArrayLength(), forged);
            }
            else
            {
                await TabApp.ProblemAsync(response, HttpStatusCode.BadRequest);
            }
        }
    }

    [TestMethod]
    public async Task APatchWithoutIfMatchIs428()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        using var client = Client(tenant, TestData.Megan);

        await TabApp.ProblemAsync(await PatchAsync(client, postmortem.Id, action.Id, ifMatch: null, """{ "status": "done" }"""), (HttpStatusCode)428);

        Assert.AreEqual(ActionStatus.Open, (await Actions.GetAsync(tenant, postmortem.Id, action.Id))!.Status);
    }

    [TestMethod]
    public async Task APatchWithAStaleETagIs412WithTheCurrentAction()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        var changed = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(action, ActionStatus.InProgress, DateTimeOffset.UtcNow).Moved!)).Value!;
        using var client = Client(tenant, TestData.Megan);

        var problem = await TabApp.ProblemAsync(await PatchAsync(client, postmortem.Id, action.Id, action.ETag, """{ "status": "done" }"""), HttpStatusCode.PreconditionFailed);

        var current = problem.GetProperty("current");
        Assert.AreEqual("inProgress", current.GetProperty("status").GetString());
        Assert.AreEqual(changed.ETag, current.GetProperty("etag").GetString());
        Assert.AreEqual(ActionStatus.InProgress, (await Actions.GetAsync(tenant, postmortem.Id, action.Id))!.Status);
    }

    [TestMethod]
    [DataRow("""{ "status": "finished" }""", "status")]
    [DataRow("""{ "status": 2 }""", "status")]
    [DataRow("""{ "dueDate": "2020-01-01" }""", "dueDate")]
    [DataRow("""{ "dueDate": "next week" }""", "dueDate")]
    [DataRow("""{ "dueDate": null }""", "dueDate")]
    [DataRow("""{ "owner": { "id": "not an id!", "name": "Someone" } }""", "owner")]
    [DataRow("""{ "owner": { "id": "abc" } }""", "owner")]
    [DataRow("""{ "owner": null }""", "owner")]
    [DataRow("""{ "title": "Be more careful" }""", "title")]
    [DataRow("""{ }""", "body")]
    [DataRow("""not json""", "body")]
    public async Task BadValuesAre400WithErrorsAndChangeNothing(string body, string field)
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        using var client = Client(tenant, TestData.Megan);

        var problem = await TabApp.ProblemAsync(await PatchAsync(client, postmortem.Id, action.Id, action.ETag, body), HttpStatusCode.BadRequest);

        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.AreEqual(action.ETag, (await Actions.GetAsync(tenant, postmortem.Id, action.Id))!.ETag);
    }

    [TestMethod]
    public async Task AnOverdueActionKeepsItsPastDueDateWhenOnlyItsStatusChanges()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        var overdue = (await Actions.UpdateAsync(tenant, action with { DueDate = Today.AddDays(-5) })).Value!;
        using var client = Client(tenant, TestData.Megan);

        var response = await PatchAsync(client, postmortem.Id, action.Id, overdue.ETag, """{ "status": "inProgress" }""");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var saved = await TabApp.JsonAsync(response);
        Assert.IsTrue(saved.GetProperty("overdue").GetBoolean());
    }

    [TestMethod]
    public async Task AFinishedActionCannotJumpToInProgress()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        var done = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(action, ActionStatus.Done, DateTimeOffset.UtcNow).Moved!)).Value!;
        using var client = Client(tenant, TestData.Megan);

        var problem = await TabApp.ProblemAsync(await PatchAsync(client, postmortem.Id, action.Id, done.ETag, """{ "status": "inProgress" }"""), HttpStatusCode.BadRequest);

        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [TestMethod]
    public async Task UndoingAFinishTakesAnActionBackToInProgressOnlyWhenItIsFinishedAndWithTheCurrentVersion()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenant);
        var started = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(action, ActionStatus.InProgress, DateTimeOffset.UtcNow).Moved!)).Value!;
        var done = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(started, ActionStatus.Done, DateTimeOffset.UtcNow).Moved!)).Value!;
        using var client = Client(tenant, TestData.Megan);

        var stale = await PatchAsync(client, postmortem.Id, action.Id, started.ETag, """{ "status": "inProgress", "undoFinish": true }""");
        var withMore = await PatchAsync(client, postmortem.Id, action.Id, done.ETag, """{ "status": "inProgress", "undoFinish": true, "owner": null }""");
        var undone = await PatchAsync(client, postmortem.Id, action.Id, done.ETag, """{ "status": "inProgress", "undoFinish": true }""");
        var stored = await Actions.GetAsync(tenant, postmortem.Id, action.Id);
        var again = await PatchAsync(client, postmortem.Id, action.Id, stored!.ETag, """{ "status": "open", "undoFinish": true }""");

        await TabApp.ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        await TabApp.ProblemAsync(withMore, HttpStatusCode.BadRequest);
        Assert.AreEqual(HttpStatusCode.OK, undone.StatusCode);
        Assert.AreEqual(ActionStatus.InProgress, stored.Status, "back to the status it had");
        var problem = await TabApp.ProblemAsync(again, HttpStatusCode.BadRequest);
        StringAssert.Contains(problem.GetProperty("errors").GetProperty("status")[0].GetString(), "nothing to undo");
    }

    [TestMethod]
    public async Task MyActionsListOverdueFirstThenByDueDate()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, later) = await NewPostmortemWithActionAsync(tenant, dueInDays: 30);
        var sooner = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(2) })).Value!;
        var added = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        var overdue = (await Actions.UpdateAsync(tenant, added with { DueDate = Today.AddDays(-3) })).Value!;
        var finished = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(finished, ActionStatus.WontDo, DateTimeOffset.UtcNow).Moved!);
        await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Owner = TestData.Alex });
        using var megan = Client(tenant, TestData.Megan);

        var mine = await MyActionsAsync(megan);

        CollectionAssert.AreEqual(new[] { overdue.Id, sooner.Id, later.Id }, mine.Select(a => a.GetProperty("id").GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { true, false, false }, mine.Select(a => a.GetProperty("overdue").GetBoolean()).ToArray());
    }

    [TestMethod]
    public async Task MyActionsComeFiftyToAPageByDefaultAndAsManyAsAsked()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, _) = await NewPostmortemWithActionAsync(tenant);
        await Parallel.ForEachAsync(Enumerable.Range(0, 54), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = $"Add an alert for failure mode {i}" }));
        using var megan = Client(tenant, TestData.Megan);

        var first = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions", UriKind.Relative)));
        var small = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions?pageSize=7", UriKind.Relative)));
        var largest = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions?pageSize=100", UriKind.Relative)));

        Assert.AreEqual(50, first.GetProperty("items").GetArrayLength());
        Assert.IsFalse(string.IsNullOrEmpty(first.GetProperty("continuationToken").GetString()), "55 actions: more follow");
        Assert.AreEqual(7, small.GetProperty("items").GetArrayLength());
        Assert.AreEqual(55, largest.GetProperty("items").GetArrayLength());
        Assert.AreEqual(JsonValueKind.Null, largest.GetProperty("continuationToken").ValueKind, "the last page says so");
    }

    [TestMethod]
    public async Task FollowingMyActionsTokensYieldsEveryActionOnceInOrder()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, _) = await NewPostmortemWithActionAsync(tenant, dueInDays: 9);
        foreach (int days in new[] { 3, 9, 9, 30, 1, 9, 60 })
        {
            await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(days) });
        }

        foreach (int days in new[] { -2, -5 })
        {
            var added = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
            await Actions.UpdateAsync(tenant, added with { DueDate = Today.AddDays(days) });
        }

        using var megan = Client(tenant, TestData.Megan);
        var whole = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions?pageSize=100", UriKind.Relative)));
        var expected = whole.GetProperty("items").EnumerateArray().ToList();

        var pages = await MyActionPagesAsync(megan, pageSize: 3);

        CollectionAssert.AreEqual(new[] { 3, 3, 3, 1 }, pages.Select(p => p.Count).ToArray());
        var ids = pages.SelectMany(p => p).Select(a => a.GetProperty("id").GetString()).ToList();
        CollectionAssert.AreEqual(expected.Select(a => a.GetProperty("id").GetString()).ToList(), ids, "the pages put together are the whole list, each action once");
        Assert.HasCount(10, ids);
        Assert.AreEqual(10, ids.Distinct().Count());
        var due = pages.SelectMany(p => p).Select(a => a.GetProperty("dueDate").GetString()!).ToList();
        CollectionAssert.AreEqual(due.Order(StringComparer.Ordinal).ToList(), due, "by due date");
        CollectionAssert.AreEqual(new[] { true, true, false }, pages[0].Select(a => a.GetProperty("overdue").GetBoolean()).ToArray(), "overdue first");
    }

    [TestMethod]
    public async Task AnActionAddedBetweenPagesNeitherRepeatsNorSkipsOne()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, _) = await NewPostmortemWithActionAsync(tenant, dueInDays: 10);
        for (int days = 11; days <= 14; days++)
        {
            await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(days) });
        }

        using var megan = Client(tenant, TestData.Megan);
        var first = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions?pageSize=2", UriKind.Relative)));
        var sooner = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(1) })).Value!;
        var later = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(20) })).Value!;

        var rest = await MyActionPagesAsync(megan, pageSize: 2, first.GetProperty("continuationToken").GetString());

        var seen = first.GetProperty("items").EnumerateArray().Concat(rest.SelectMany(p => p)).Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.HasCount(6, seen, "the five listed first and the one added after the page read: " + string.Join(", ", seen));
        Assert.AreEqual(seen.Count, seen.Distinct().Count(), "none twice");
        Assert.AreEqual(later.Id, seen[^1]);
        Assert.DoesNotContain(sooner.Id, seen, "an action that sorts before the pages already read shows on the next load from the start");
    }

    [TestMethod]
    [DataRow("?pageSize=0", "pageSize")]
    [DataRow("?pageSize=101", "pageSize")]
    [DataRow("?pageSize=-1", "pageSize")]
    [DataRow("?pageSize=ten", "pageSize")]
    [DataRow("?pageSize=", "pageSize")]
    [DataRow("?continuationToken=", "continuationToken")]
    [DataRow("?continuationToken=not-a-token", "continuationToken")]
    [DataRow("?continuationToken=%00%01", "continuationToken")]
    [DataRow("?continuationToken=CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "continuationToken")]
    public async Task MyActionsRefusesBadPageSizesAndTokensWith400(string query, string field)
    {
        using var client = Client(TestData.NewTenantId(), TestData.Megan);

        var problem = await TabApp.ProblemAsync(await client.GetAsync(new Uri("/api/me/actions" + query, UriKind.Relative)), HttpStatusCode.BadRequest);

        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.IsFalse(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [TestMethod]
    public async Task AForgedOrOverlongMyActionsTokenIs400()
    {
        using var client = Client(TestData.NewTenantId(), TestData.Megan);
        string forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"dueDate\":\"2020-01-01\",\"owner\":\"someone-else\"}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        foreach (string token in new[] { forged, new string('A', 5000) })
        {
            var problem = await TabApp.ProblemAsync(
                await client.GetAsync(new Uri("/api/me/actions?continuationToken=" + Uri.EscapeDataString(token), UriKind.Relative)), HttpStatusCode.BadRequest);
            Assert.IsTrue(problem.GetProperty("errors").TryGetProperty("continuationToken", out _), problem.GetRawText());
        }
    }

    [TestMethod]
    public async Task AnotherOwnersMyActionsTokenIsRefusedAndShowsNoneOfTheirActions()
    {
        string tenant = TestData.NewTenantId();
        var (postmortem, _) = await NewPostmortemWithActionAsync(tenant);
        await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id));
        await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Owner = TestData.Alex, Title = "Alex's own action" });
        using var megan = Client(tenant, TestData.Megan);
        var meganFirst = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions?pageSize=1", UriKind.Relative)));
        string token = Uri.EscapeDataString(meganFirst.GetProperty("continuationToken").GetString()!);
        using var alex = Client(tenant, TestData.Alex);
        using var meganElsewhere = Client(TestData.NewTenantId(), TestData.Megan);

        var alexAnswer = await alex.GetAsync(new Uri("/api/me/actions?pageSize=1&continuationToken=" + token, UriKind.Relative));
        var elsewhereAnswer = await meganElsewhere.GetAsync(new Uri("/api/me/actions?pageSize=1&continuationToken=" + token, UriKind.Relative));
        var meganNext = await megan.GetAsync(new Uri("/api/me/actions?pageSize=1&continuationToken=" + token, UriKind.Relative));

        string alexBody = (await TabApp.ProblemAsync(alexAnswer, HttpStatusCode.BadRequest)).GetRawText();
        Assert.DoesNotContain("Route configuration", alexBody, "none of Megan's actions");
        await TabApp.ProblemAsync(elsewhereAnswer, HttpStatusCode.BadRequest);
        Assert.AreEqual(HttpStatusCode.OK, meganNext.StatusCode, "the token works for the person it was given to");
    }

    [TestMethod]
    public async Task AnotherTenantGets404ForEveryIdAndNoneOfTheActions()
    {
        string tenantA = TestData.NewTenantId();
        var (postmortem, action) = await NewPostmortemWithActionAsync(tenantA);
        using var tenantB = Client(TestData.NewTenantId(), TestData.Megan);

        foreach (string url in new[] { $"/api/postmortems/{postmortem.Id}", $"/api/postmortems/{postmortem.Id}/actions", $"/api/postmortems/{postmortem.Id}/export.md" })
        {
            await TabApp.ProblemAsync(await tenantB.GetAsync(new Uri(url, UriKind.Relative)), HttpStatusCode.NotFound);
        }

        await TabApp.ProblemAsync(await PatchAsync(tenantB, postmortem.Id, action.Id, action.ETag, """{ "status": "done" }"""), HttpStatusCode.NotFound);
        Assert.AreEqual(0, (await MyActionsAsync(tenantB)).Count, "the same owner id in another tenant owns nothing here");
        var list = await TabApp.JsonAsync(await tenantB.GetAsync(new Uri("/api/postmortems", UriKind.Relative)));
        Assert.AreEqual(0, list.GetProperty("items").GetArrayLength());
        Assert.AreEqual(ActionStatus.Open, (await Actions.GetAsync(tenantA, postmortem.Id, action.Id))!.Status);
    }

    [TestMethod]
    [DataRow("/api/postmortems/no-such-id")]
    [DataRow("/api/postmortems/bad%20id%7C")]
    [DataRow("/api/postmortems/no-such-id/export.md")]
    public async Task UnknownAndMalformedIdsAre404(string url)
    {
        using var client = Client(TestData.NewTenantId(), TestData.Alex);

        await TabApp.ProblemAsync(await client.GetAsync(new Uri(url, UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [TestMethod]
    public async Task ThePostmortemShowsItsStageRolesAndPublicationAndTheExportSaysWhoPublishedIt()
    {
        string tenant = TestData.NewTenantId();
        var hostile = new Person("00000000-0000-0000-0000-000000000077", "Mallory](https://evil.example) <b>");
        var created = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var published = Core.Lifecycle.PostmortemLifecycle.Apply(
            created with { Status = PostmortemStatus.InReview, Scribe = TestData.Megan, IncidentCommander = hostile },
            new Core.Lifecycle.LifecycleRequest(Core.Lifecycle.LifecycleStep.Publish, TestData.Alex, new DateTimeOffset(2026, 12, 2, 15, 30, 0, TimeSpan.Zero))).Moved!;
        await Postmortems.UpdateAsync(tenant, published);
        using var client = Client(tenant, TestData.Alex);

        var json = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/postmortems/{created.Id}", UriKind.Relative));
        string markdown = await client.GetStringAsync(new Uri($"/api/postmortems/{created.Id}/export.md", UriKind.Relative));

        var lifecycle = json.GetProperty("lifecycle");
        Assert.AreEqual("published", lifecycle.GetProperty("stage").GetString());
        Assert.AreEqual("open", json.GetProperty("status").GetString(), "the list's two states stay as they were");
        Assert.AreEqual("Megan Bowen", lifecycle.GetProperty("scribe").GetProperty("name").GetString());
        Assert.AreEqual(hostile.DisplayName, lifecycle.GetProperty("incidentCommander").GetProperty("name").GetString());
        Assert.AreEqual("Alex Wilber", lifecycle.GetProperty("publishedBy").GetProperty("name").GetString());
        Assert.Contains("- **Published:** on 2026-12-02 15:30 UTC by Alex Wilber", markdown);
        Assert.Contains("- **Status:** published", markdown);
        Assert.Contains(@"- **Incident commander:** Mallory\](https\://evil.example) \<b>", markdown);
    }

    [TestMethod]
    public async Task TheMarkdownExportHasEverySectionInOrderWithUserTextEscaped()
    {
        const string Hostile = "<script>alert(1)</script> **bold** [link](https://evil.example) # not a heading";
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem() with { Title = "Checkout <b>down</b>", Summary = Hostile + "\n    indented\n- not a list" })).Value!;
        await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Add a canary gate for config | <img src=x onerror=alert(1)>" });
        await _app.Service<PostmortemItemStore<RemediationIdea>>().AddAsync(tenant, postmortem, Idea(postmortem.Id, RemediationCategory.Detect, "Alert on _canary_ errors"));
        await _app.Service<PostmortemItemStore<Takeaway>>().AddAsync(tenant, postmortem, new Takeaway { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "Config is code." });
        using var client = Client(tenant, TestData.Alex);

        var response = await client.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}/export.md", UriKind.Relative));
        string markdown = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.AreEqual("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.MatchesRegex(@"^postmortem-checkout-b-down-b-\d{4}-\d{2}-\d{2}\.md$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? string.Empty);

        // The practice's order: summary, impact, timeline, contributing factors, what went well, where we got lucky,
        // five whys, ideas, actions, takeaways.
        string[] headings = ["# Checkout \\<b>down\\</b>", "## Summary", "## Impact", "## Timeline", "## Contributing factors", "## What went well", "## Where we got lucky", "## 5 whys", "## Remediation ideas", "### Detect", "### React", "### Quick fix", "### Prevent", "### Other areas of risk", "## Actions", "## Takeaways"];
        var positions = headings.Select(h => markdown.IndexOf("\n" + h + "\n", StringComparison.Ordinal) is var i and >= 0 ? i : markdown.StartsWith(h + "\n", StringComparison.Ordinal) ? 0 : -1).ToList();
        Assert.IsTrue(positions.All(p => p >= 0), markdown);
        CollectionAssert.AreEqual(positions.Order().ToList(), positions, "document order");

        Assert.IsFalse(markdown.Where((c, i) => c == '<' && (i == 0 || markdown[i - 1] != '\\')).Any(), "every < of user text is escaped");
        Assert.Contains(@"\<script>alert(1)\</script> \*\*bold\*\* \[link\](https\://evil.example) # not a heading", markdown);
        Assert.Contains(@"Alert on \_canary\_ errors", markdown);
        Assert.Contains(@"config \| \<img", markdown);
        Assert.DoesNotContain("\n    indented", markdown, "no line of user text starts a code block");
        Assert.DoesNotContain("\n- not a list", markdown, "no line of user text starts a list");
        Assert.Contains("Config is code. (Megan Bowen)", markdown);
    }

    [TestMethod]
    public async Task TheApiCarriesHostileTextAsPlainJsonStrings()
    {
        const string Hostile = "<script>alert(1)</script> **bold**";
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem() with { Summary = Hostile })).Value!;
        using var client = Client(tenant, TestData.Alex);

        var response = await client.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}", UriKind.Relative));
        string raw = await response.Content.ReadAsStringAsync();

        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script>", raw, "even a browser that sniffs the body as HTML finds no tag");
        Assert.AreEqual(Hostile, (await TabApp.JsonAsync(response)).GetProperty("summary").GetString());
        Assert.AreEqual("no-store", response.Headers.CacheControl?.ToString());
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static HttpClient Client(string tenant, Person user) =>
        _app.Client(tenant, user);

    private static async Task<(Postmortem Postmortem, ActionItem Action)> NewPostmortemWithActionAsync(string tenant, int dueInDays = 14)
    {
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var action = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { DueDate = Today.AddDays(dueInDays) })).Value!;
        return (postmortem, action);
    }

    private static ScheduledMeeting FollowUp(string tenant, Postmortem postmortem) => new()
    {
        Id = ScheduledMeeting.IdOf(MeetingKind.FollowUp),
        PostmortemId = postmortem.Id,
        Author = TestData.Alex,
        CreatedAt = DateTimeOffset.UtcNow,
        Kind = MeetingKind.FollowUp,
        Invite = new MeetingInvite
        {
            Kind = MeetingKind.FollowUp,
            TenantId = tenant,
            PostmortemId = postmortem.Id,
            Subject = "Follow-up: " + postmortem.Title,
            Start = DateTimeOffset.UtcNow.AddDays(21),
            DurationMinutes = 30,
            TimeZone = "UTC",
            Organizer = new Attendee(TestData.Alex.ObjectId, TestData.Alex.DisplayName),
            Attendees = [new Attendee(TestData.Megan.ObjectId, TestData.Megan.DisplayName)],
            TransactionId = Guid.NewGuid().ToString(),
        },
        EventId = "local-event",
        OutboxId = "sent-before",
        SentAt = DateTimeOffset.UtcNow,
    };

    private static RemediationIdea Idea(string postmortemId, RemediationCategory category, string text) => new()
    {
        Id = Ids.NewItemId(),
        PostmortemId = postmortemId,
        Author = TestData.Megan,
        CreatedAt = DateTimeOffset.UtcNow,
        Category = category,
        Text = text,
    };

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string postmortemId, string actionId, string? ifMatch, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/postmortems/{postmortemId}/actions/{actionId}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    private static async Task<List<JsonElement>> MyActionsAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("/api/me/actions", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return [.. (await TabApp.JsonAsync(response)).GetProperty("items").EnumerateArray()];
    }

    private static async Task<List<List<JsonElement>>> MyActionPagesAsync(HttpClient client, int pageSize, string? token = null)
    {
        var pages = new List<List<JsonElement>>();
        do
        {
            string url = $"/api/me/actions?pageSize={pageSize}" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
            var page = await TabApp.JsonAsync(response);
            pages.Add([.. page.GetProperty("items").EnumerateArray()]);
            token = page.GetProperty("continuationToken").GetString();
            Assert.IsLessThan(100, pages.Count, "the tokens come to an end");
        }
        while (token is not null);

        return pages;
    }

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string? status)
    {
        var items = new List<JsonElement>();
        string? continuation = null;
        do
        {
            string url = "/api/postmortems?pageSize=2" + (status is null ? string.Empty : "&status=" + status)
                + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation));
            var page = await TabApp.JsonAsync(await client.GetAsync(new Uri(url, UriKind.Relative)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            continuation = page.GetProperty("continuation").GetString();
        }
        while (continuation is not null);

        return items;
    }
}
