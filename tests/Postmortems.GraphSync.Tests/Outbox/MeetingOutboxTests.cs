using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>
/// Confirmed invites go through the outbox to a local stand-in for Graph, through the real Graph SDK: throttling,
/// outages, lost answers, racing instances and restarts still give exactly one event.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MeetingOutboxTests
{
    private const string Events = "/events";

    [TestMethod]
    public async Task ConfirmedInviteIsSentOnceAndTheChatIsToldTheLinks()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        var invite = harness.Invite(postmortem) with { PageLink = new Uri($"https://postmortems.contoso.test/tab/postmortems/{postmortem.Id}") };

        Assert.IsTrue(await harness.Scheduler.ConfirmAsync(invite, "card-1", CancellationToken.None));
        Assert.IsFalse(await harness.Scheduler.ConfirmAsync(invite, "card-1", CancellationToken.None), "a double click records it once");
        Assert.AreEqual(1, await harness.RunWorkerAsync());
        Assert.AreEqual(0, await harness.RunWorkerAsync(), "nothing left to send");

        var created = harness.Graph!.Events.Single();
        Assert.AreEqual(TestUsers.Alex, created.UserId);
        Assert.AreEqual(invite.TransactionId, created.Json["transactionId"]!.GetValue<string>());
        string html = created.Json["body"]!["content"]!.GetValue<string>();
        StringAssert.Contains(html, Practice.PrimeDirective);
        StringAssert.Contains(html, $"href=\"https://postmortems.contoso.test/tab/postmortems/{postmortem.Id}\"", "the link the Outlook task pane reads");

        var told = harness.Observer.Told.Single();
        Assert.AreEqual("sent", told.What);
        StringAssert.Contains(told.Item.Result, "https://teams.microsoft.com/l/meetup-join/");
        var meeting = await harness.Scheduler.GetAsync(harness.TenantId, postmortem.Id, MeetingKind.Postmortem, CancellationToken.None);
        Assert.AreEqual(created.Id, meeting!.EventId);
    }

    [TestMethod]
    public async Task TextPeopleTypedArrivesInTheEventEncodedNeverAsMarkup()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync("<script>alert(1)</script> **bold** [x](javascript:alert(2))");

        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem) with { Subject = "<b>Review</b> **now**" }, "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();

        var created = harness.Graph!.Events.Single();
        string html = created.Json["body"]!["content"]!.GetValue<string>();
        Assert.IsFalse(html.Contains("<script>", StringComparison.OrdinalIgnoreCase), html);
        StringAssert.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(2))");
        Assert.AreEqual("<b>Review</b> **now**", created.Json["subject"]!.GetValue<string>(), "the subject is plain text in JSON, shown as typed");
    }

    [TestMethod]
    public async Task ThrottledWithRetryAfterWaitsThatLongThenCreatesExactlyOneEvent()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", Events, 429, retryAfter: TimeSpan.FromSeconds(30));
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        await harness.RunWorkerAsync();
        Assert.AreEqual(0, harness.Graph.Events.Count);
        var waiting = (await harness.Outbox.ListAsync()).Single();
        Assert.AreEqual(harness.Time.GetUtcNow().AddSeconds(30), waiting.NextAttemptAt, "the next try waits exactly the Retry-After");

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.AreEqual(0, await harness.RunWorkerAsync(), "not before Retry-After");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.AreEqual(1, await harness.RunWorkerAsync());

        Assert.AreEqual(1, harness.Graph.Events.Count);
        Assert.AreEqual(2, harness.Graph.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(Events, StringComparison.Ordinal)));
        Assert.AreEqual(OutboxStatus.Sent, (await harness.Outbox.ListAsync()).Single().Status);
    }

    [TestMethod]
    public async Task ServiceUnavailableThreeTimesThenSuccessSendsOnceWithGrowingWaits()
    {
        await using var harness = await GraphSyncHarness.StartAsync(maxAttempts: 5);
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", Events, 503, times: 3);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        var waits = new List<TimeSpan>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            await harness.RunWorkerAsync();
            var item = (await harness.Outbox.ListAsync()).Single();
            Assert.AreEqual(OutboxStatus.Pending, item.Status);
            waits.Add(item.NextAttemptAt - harness.Time.GetUtcNow());
            harness.Time.Advance(waits[^1]);
        }

        await harness.RunWorkerAsync();
        Assert.AreEqual(1, harness.Graph.Events.Count);
        Assert.IsTrue(waits[0] < waits[1] && waits[1] < waits[2], "backoff grows: " + string.Join(", ", waits));
        var sent = (await harness.Outbox.ListAsync()).Single();
        Assert.AreEqual(OutboxStatus.Sent, sent.Status);
        Assert.AreEqual(4, sent.Attempts);
    }

    [TestMethod]
    public async Task AlwaysFailingIsDeadLetteredAfterTheLimitAndTheFacilitatorIsTold()
    {
        await using var harness = await GraphSyncHarness.StartAsync(maxAttempts: 3);
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", Events, 503, times: 10);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        for (int i = 0; i < 5; i++)
        {
            await harness.RunWorkerAsync();
            harness.Time.Advance(TimeSpan.FromMinutes(15));
        }

        var item = (await harness.Outbox.ListAsync()).Single();
        Assert.AreEqual(OutboxStatus.DeadLettered, item.Status);
        Assert.AreEqual(3, item.Attempts);
        Assert.AreEqual(3, harness.Graph.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(Events, StringComparison.Ordinal)), "no try after the limit");
        Assert.AreEqual(0, harness.Graph.Events.Count);
        var told = harness.Observer.Told.Single();
        Assert.AreEqual("dead", told.What);
        StringAssert.Contains(told.Item.LastError, "gave up after 3 tries");
    }

    [TestMethod]
    public async Task RefusalIsDeadLetteredAtOnceWithAMessageAPersonCanActOn()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", Events, 403);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        await harness.RunWorkerAsync();

        var item = (await harness.Outbox.ListAsync()).Single();
        Assert.AreEqual(OutboxStatus.DeadLettered, item.Status);
        StringAssert.Contains(item.LastError, "Calendars.ReadWrite");
    }

    [TestMethod]
    public async Task TwoInstancesRacingForOneItemSendItOnce()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var second = await harness.StartInstanceAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        // A slow Graph keeps the first sender busy while the second looks for work.
        harness.Graph!.DelayNext("POST", Events, TimeSpan.FromMilliseconds(500), applyFirst: false);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        int[] handled = await Task.WhenAll(harness.RunWorkerAsync(), harness.RunWorkerAsync(second), harness.RunWorkerAsync(second));

        Assert.AreEqual(1, handled.Sum(), "exactly one instance claimed it");
        Assert.AreEqual(1, harness.Graph.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(Events, StringComparison.Ordinal)));
        Assert.AreEqual(1, harness.Graph.Events.Count);
    }

    [TestMethod]
    public async Task AppRestartBetweenConfirmAndSendStillSendsItOnce()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        // The first instance claims the item and dies before sending (its lease is left behind).
        var claimed = await harness.Outbox.ClaimDueAsync("crashed-instance", TimeSpan.FromSeconds(60), 10);
        Assert.AreEqual(1, claimed.Count);

        var restarted = await harness.StartInstanceAsync();
        Assert.AreEqual(0, await harness.RunWorkerAsync(restarted), "the lease is respected while it lasts");
        harness.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.AreEqual(1, await harness.RunWorkerAsync(restarted));
        Assert.AreEqual(0, await harness.RunWorkerAsync(restarted));

        Assert.AreEqual(1, harness.Graph!.Events.Count);
    }

    [TestMethod]
    public async Task LostAnswerIsRetriedWithTheSameTransactionIdAndMakesNoSecondEvent()
    {
        await using var harness = await GraphSyncHarness.StartAsync(attemptTimeoutSeconds: 1);
        var postmortem = await harness.SeedPostmortemAsync();
        // Graph creates the event, but the answer comes after the worker gave up waiting.
        harness.Graph!.DelayNext("POST", Events, TimeSpan.FromSeconds(10), applyFirst: true);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);

        await harness.RunWorkerAsync();
        Assert.AreEqual(OutboxStatus.Pending, (await harness.Outbox.ListAsync()).Single().Status, "a timeout is retried");
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.RunWorkerAsync();

        Assert.AreEqual(2, harness.Graph.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(Events, StringComparison.Ordinal)));
        Assert.AreEqual(1, harness.Graph.Events.Count, "Graph matched the transactionId");
        Assert.AreEqual(OutboxStatus.Sent, (await harness.Outbox.ListAsync()).Single().Status);
    }

    [TestMethod]
    public async Task SchedulingAgainUpdatesTheSameMeetingInsteadOfMakingASecond()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();

        var moved = harness.Invite(postmortem) with { Start = new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero) };
        await harness.Scheduler.ConfirmAsync(moved, "card-2", CancellationToken.None);
        await harness.RunWorkerAsync();

        var only = harness.Graph!.Events.Single();
        Assert.AreEqual("2026-11-25T10:00:00", only.Json["start"]!["dateTime"]!.GetValue<string>()[..19], "the event moved (New York time)");
        Assert.IsTrue(harness.Graph.Requests.Any(r => r.Method == "PATCH" && r.Path.EndsWith("/events/" + only.Id, StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ActionChangesThroughTheStoreAloneRefreshTheFollowUpBodyOnceAfterTheBurst()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem, MeetingKind.FollowUp), "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();
        var followUp = harness.Graph!.Events.Single();

        var actions = harness.App.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var stored = await harness.App.GetRequiredService<PostmortemRepository>().GetAsync(harness.TenantId, postmortem.Id);
        // No surface calls the scheduler: the store tells the registered action followers after each write.
        ActionItem? last = null;
        for (int i = 0; i < 3; i++)
        {
            var added = Core.Common.Ids.NewItemId();
            last = (await actions.AddAsync(harness.TenantId, stored!, TestData.Action(postmortem.Id) with { Id = added, Title = $"Add a canary stage for config change {i}", DueDate = new DateOnly(2026, 12, 1) })).Value;
        }

        await actions.UpdateAsync(harness.TenantId, last! with { Title = "Add a canary stage for config change 2, renamed" });

        Assert.AreEqual(0, await harness.RunWorkerAsync(), "changes wait for the coalescing window");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.AreEqual(1, await harness.RunWorkerAsync());

        var patches = harness.Graph.Requests.Where(r => r.Method == "PATCH" && r.Path.EndsWith("/events/" + followUp.Id, StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, patches.Count, "three changes, one update");
        string html = JsonNode.Parse(patches[0].Body)!["body"]!["content"]!.GetValue<string>();
        StringAssert.Contains(html, "Add a canary stage for config change 2, renamed");
        Assert.AreEqual(MeetingScheduler.RefreshFollowUpOperation, harness.Observer.Told[^1].Item.Operation);
    }

    [TestMethod]
    public async Task ActionChangedWhileTheRefreshIsBeingSentIsSentAgainAfterwards()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem, MeetingKind.FollowUp), "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();
        await harness.Scheduler.ActionsChangedAsync(harness.TenantId, postmortem.Id, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        harness.Graph!.DelayNext("PATCH", Events, TimeSpan.FromMilliseconds(800), applyFirst: false);

        var sending = harness.RunWorkerAsync();
        await harness.Graph.WaitForRequestAsync(r => r.Method == "PATCH", TimeSpan.FromSeconds(60));
        await harness.Scheduler.ActionsChangedAsync(harness.TenantId, postmortem.Id, CancellationToken.None);
        await sending;

        var item = (await harness.Outbox.ListAsync()).Single(i => i.Operation == MeetingScheduler.RefreshFollowUpOperation);
        Assert.AreEqual(OutboxStatus.Pending, item.Status, "the change that came during the send is not lost");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.AreEqual(1, await harness.RunWorkerAsync());
        Assert.AreEqual(2, harness.Graph.Requests.Count(r => r.Method == "PATCH"));
    }

    [TestMethod]
    public async Task FinishedItemsAreDeletedAfterTheirRetentionAndWaitingOnesAreKept()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();
        harness.Graph!.FailNext("POST", Events, 503, times: 10);
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem, MeetingKind.FollowUp), "card-2", CancellationToken.None);

        harness.Time.Advance(TimeSpan.FromDays(15));
        await harness.App.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);

        var left = await harness.Outbox.ListAsync();
        Assert.AreEqual(1, left.Count, "the sent invite is gone after 14 days");
        Assert.AreEqual(OutboxStatus.Pending, left.Single().Status);
    }

    [TestMethod]
    public async Task NoFollowUpMeetingMeansActionChangesSendNothing()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();

        await harness.Scheduler.ActionsChangedAsync(harness.TenantId, postmortem.Id, CancellationToken.None);

        Assert.AreEqual(0, (await harness.Outbox.ListAsync()).Count);
    }
}

internal static class TestUsers
{
    public static readonly string Alex = TestData.Alex.ObjectId;
}
