using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Tests.Outbox;
using Postmortems.GraphSync.Todo;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Todo;

/// <summary>
/// Actions as tasks in their owner's Microsoft To Do, against the local Graph stand-in through the real Graph SDK, the
/// outbox on Azurite and a fake clock: both ways, with notifications, renewals and reconciliation.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TodoSyncTests
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task NewActionBecomesATaskWithTitleDueDateAndALinkBackAndItsListIsSubscribed()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);

        var list = harness.Graph!.TodoLists.Single();
        Assert.AreEqual(TestData.Megan.ObjectId, list.UserId);
        Assert.AreEqual("Postmortem actions", list.DisplayName);
        var task = harness.Graph.TodoTasks.Single();
        Assert.AreEqual(list.Id, task.ListId);
        Assert.AreEqual(action.Title, task.Title);
        Assert.AreEqual("2026-12-03T00:00:00", task.Due);
        Assert.AreEqual("UTC", task.Json["dueDateTime"]!["timeZone"]!.GetValue<string>());
        Assert.AreEqual("notStarted", task.Status);
        string link = $"https://postmortems.contoso.test/tab/postmortems/{postmortem.Id}";
        StringAssert.Contains(task.Json["body"]!["content"]!.GetValue<string>(), link);
        var resource = task.Json["linkedResources"]!.AsArray().Single()!;
        Assert.AreEqual(link, resource["webUrl"]!.GetValue<string>());
        Assert.AreEqual(action.Id, resource["externalId"]!.GetValue<string>());
        Assert.AreEqual("Blameless Postmortems", resource["applicationName"]!.GetValue<string>());
        Assert.AreEqual(postmortem.Title, resource["displayName"]!.GetValue<string>());

        var subscription = harness.Graph.Subscriptions.Single();
        Assert.AreEqual($"/users/{TestData.Megan.ObjectId}/todo/lists/{list.Id}/tasks", subscription.Resource);
        Assert.AreEqual("https://postmortems.contoso.test/api/graph/notifications", subscription.NotificationUrl);
        Assert.AreEqual("https://postmortems.contoso.test/api/graph/lifecycle", subscription.LifecycleNotificationUrl);
        Assert.IsFalse(string.IsNullOrEmpty(subscription.ClientState));
        Assert.IsTrue(subscription.ExpiresAt <= harness.Time.GetUtcNow().AddMinutes(4230));
    }

    [TestMethod]
    public async Task ChangingTheDueDateOrFinishingTheActionUpdatesTheSameTask()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);

        await UpdateActionAsync(harness, postmortem.Id, action.Id, a => a with { DueDate = new DateOnly(2026, 12, 10) });
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        var task = harness.Graph!.TodoTasks.Single();
        Assert.AreEqual("2026-12-10T00:00:00", task.Due, string.Join("\n", (await harness.Outbox.ListAsync()).Select(i => $"{i.Operation} {i.Status} {i.Attempts} {i.NextAttemptAt} {i.LastError} {i.Result}")));
        Assert.IsTrue(harness.Graph.Requests.Any(r => r.Method == "PATCH" && r.PathAndQuery.Contains("/tasks/", StringComparison.Ordinal)));

        await UpdateActionAsync(harness, postmortem.Id, action.Id, a => ActionItemRules.MoveTo(a, ActionStatus.Done, harness.Time.GetUtcNow()).Moved!);
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreEqual("completed", harness.Graph.TodoTasks.Single().Status);
    }

    [TestMethod]
    public async Task CompletedInToDoMarksTheActionDoneThroughANotification()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);
        await using var host = await NotificationHost.StartAsync(harness.App);
        var task = harness.Graph!.TodoTasks.Single();

        harness.Graph.CompleteTask(task.Id);
        using var answer = await harness.Graph.SendNotificationAsync(host.Client, host.Notifications, harness.Graph.Subscriptions.Single(), task.Id);
        Assert.AreEqual(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.IsTrue(await harness.DrainWorkerAsync() > 0);

        var stored = await Actions(harness).GetAsync(harness.TenantId, postmortem.Id, action.Id);
        Assert.AreEqual(ActionStatus.Done, stored!.Status);

        // The action write asks for a sync; the task is already as it should be, so nothing is written back.
        int writes = harness.Graph.Requests.Count(r => r.Method is "PATCH" or "POST" && r.PathAndQuery.Contains("/tasks", StringComparison.Ordinal));
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreEqual(writes, harness.Graph.Requests.Count(r => r.Method is "PATCH" or "POST" && r.PathAndQuery.Contains("/tasks", StringComparison.Ordinal)));
        Assert.AreEqual("completed", harness.Graph.TodoTasks.Single().Status);
    }

    [TestMethod]
    public async Task ANotificationWithAWrongClientStateIsIgnored()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);
        await using var host = await NotificationHost.StartAsync(harness.App);
        var task = harness.Graph!.TodoTasks.Single();

        harness.Graph.CompleteTask(task.Id);
        using var answer = await harness.Graph.SendNotificationAsync(host.Client, host.Notifications, harness.Graph.Subscriptions.Single(), task.Id, clientState: "not-the-secret");
        Assert.AreEqual(HttpStatusCode.Accepted, answer.StatusCode, "still 202: an error would only make Graph send it again");
        Assert.IsFalse((await harness.Outbox.ListAsync()).Any(i => i.Operation == TodoSync.PullOperation && i.Status == OutboxStatus.Pending));
        await harness.DrainWorkerAsync();

        var stored = await Actions(harness).GetAsync(harness.TenantId, postmortem.Id, action.Id);
        Assert.AreEqual(ActionStatus.Open, stored!.Status);
    }

    [TestMethod]
    public async Task TheValidationHandshakeIsAnsweredWithTheDecodedTokenAsPlainText()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        await using var host = await NotificationHost.StartAsync(harness.App);
        foreach (var url in new[] { host.Notifications, host.Lifecycle })
        {
            using var content = new StringContent(string.Empty);
            using var answer = await host.Client.PostAsync(new Uri(url, "?validationToken=Validation%3A%20Testing%20client%20validation%20%3Cb%3E"), content);
            Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode);
            Assert.AreEqual("text/plain", answer.Content.Headers.ContentType!.MediaType);
            Assert.AreEqual("Validation: Testing client validation <b>", await answer.Content.ReadAsStringAsync());
        }
    }

    [TestMethod]
    public async Task TheSubscriptionIsRenewedBeforeItExpires()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        await SeedAndSyncAsync(harness);
        var job = harness.App.GetRequiredService<TodoSyncJob>();
        var first = harness.Graph!.Subscriptions.Single();

        // More than 12 hours left: the job reconciles but leaves the subscription alone.
        harness.Time.Advance(first.ExpiresAt - harness.Time.GetUtcNow() - TimeSpan.FromHours(13));
        await job.RunOnceAsync(CancellationToken.None);
        await harness.DrainWorkerAsync();
        Assert.IsFalse(harness.Graph.Requests.Any(r => r.Method == "PATCH" && r.PathAndQuery.Contains("/subscriptions/", StringComparison.Ordinal)));

        harness.Time.Advance(TimeSpan.FromHours(2));
        await job.RunOnceAsync(CancellationToken.None);
        await harness.DrainWorkerAsync();
        var renewed = harness.Graph.Subscriptions.Single();
        Assert.AreEqual(first.Id, renewed.Id);
        Assert.AreEqual(harness.Time.GetUtcNow().AddMinutes(4200), renewed.ExpiresAt);
        Assert.AreEqual(1, harness.Graph.Requests.Count(r => r.Method == "PATCH" && r.PathAndQuery.Contains("/subscriptions/", StringComparison.Ordinal)));

        // Past the first expiry, the subscription still lives in Graph.
        harness.Time.Advance(TimeSpan.FromHours(12));
        Assert.AreEqual(first.Id, harness.Graph.Subscriptions.Single().Id);
    }

    [TestMethod]
    public async Task AReauthorizationLifecycleNotificationRenewsTheSubscriptionAtOnce()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        await SeedAndSyncAsync(harness);
        await using var host = await NotificationHost.StartAsync(harness.App);
        harness.Time.Advance(TimeSpan.FromHours(1));

        using var answer = await harness.Graph!.SendLifecycleNotificationAsync(host.Client, host.Lifecycle, harness.Graph.Subscriptions.Single(), "reauthorizationRequired");
        Assert.AreEqual(HttpStatusCode.Accepted, answer.StatusCode);
        await harness.DrainWorkerAsync();
        Assert.AreEqual(harness.Time.GetUtcNow().AddMinutes(4200), harness.Graph.Subscriptions.Single().ExpiresAt);
    }

    [TestMethod]
    public async Task ARemovedSubscriptionIsMadeAgainAndTheListReadForWhatWasMissed()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);
        await using var host = await NotificationHost.StartAsync(harness.App);
        var removed = harness.Graph!.Subscriptions.Single();
        harness.Graph.CompleteTask(harness.Graph.TodoTasks.Single().Id);

        using var answer = await harness.Graph.SendLifecycleNotificationAsync(host.Client, host.Lifecycle, removed, "subscriptionRemoved");
        Assert.AreEqual(HttpStatusCode.Accepted, answer.StatusCode);
        await harness.DrainWorkerAsync();

        Assert.AreEqual(2, harness.Graph.Subscriptions.Count, "a new subscription (the fake keeps the old one until it expires)");
        var stored = await Actions(harness).GetAsync(harness.TenantId, postmortem.Id, action.Id);
        Assert.AreEqual(ActionStatus.Done, stored!.Status);

        // The old subscription's secret no longer opens anything.
        using var stale = await harness.Graph.SendNotificationAsync(host.Client, host.Notifications, removed, harness.Graph.TodoTasks.Single().Id);
        Assert.AreEqual(HttpStatusCode.Accepted, stale.StatusCode);
        Assert.IsFalse((await harness.Outbox.ListAsync()).Any(i => i.Operation == TodoSync.PullOperation && i.Status == OutboxStatus.Pending));
    }

    [TestMethod]
    public async Task ReconciliationRepairsAMissedNotification()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        harness.Graph!.TodoDeltaPageSize = 1;
        var (postmortem, action) = await SeedAndSyncAsync(harness);

        // Completed in To Do while no notification reached the app.
        harness.Graph.CompleteTask(harness.Graph.TodoTasks.Single().Id);
        harness.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.AreEqual(1, await harness.App.GetRequiredService<TodoSyncJob>().RunOnceAsync(CancellationToken.None));
        await harness.DrainWorkerAsync();

        var stored = await Actions(harness).GetAsync(harness.TenantId, postmortem.Id, action.Id);
        Assert.AreEqual(ActionStatus.Done, stored!.Status);
        Assert.IsTrue(harness.Graph.Requests.Any(r => r.PathAndQuery.Contains("deltatoken", StringComparison.OrdinalIgnoreCase)), "the stored deltaLink was used");
    }

    [TestMethod]
    public async Task ACreateWhoseAnswerWasLostMakesOneTask()
    {
        await using var harness = await GraphSyncHarness.StartAsync(attemptTimeoutSeconds: 1, todoSync: true);
        harness.Graph!.DelayNext("POST", "/tasks", TimeSpan.FromSeconds(10), applyFirst: true);
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreEqual(1, harness.Graph.TodoTasks.Count, "Graph made the task; the answer was lost");

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.DrainWorkerAsync();
        var task = harness.Graph.TodoTasks.Single();
        Assert.AreEqual(1, harness.Graph.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.EndsWith("/tasks", StringComparison.Ordinal)));

        // The link found the first task, so the next change updates it.
        var action = (await Actions(harness).ListAsync(harness.TenantId, postmortem.Id)).Single();
        await UpdateActionAsync(harness, postmortem.Id, action.Id, a => a with { Title = "Route config changes through the canary" });
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreEqual("Route config changes through the canary", harness.Graph.TodoTasks.Single(t => t.Id == task.Id).Title);
    }

    [TestMethod]
    public async Task ThrottledAndUnavailableTaskWritesAreRetriedThroughTheOutbox()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        harness.Graph!.FailNext("POST", "/tasks", 429, retryAfter: TimeSpan.FromSeconds(30));
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreEqual(0, harness.Graph.TodoTasks.Count);
        var waiting = (await harness.Outbox.ListAsync()).Single(i => i.Operation == TodoSync.SyncOperation);
        Assert.AreEqual(harness.Time.GetUtcNow().AddSeconds(30), waiting.NextAttemptAt, "waits exactly the Retry-After");

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.DrainWorkerAsync();
        Assert.AreEqual(1, harness.Graph.TodoTasks.Count);

        var action = (await Actions(harness).ListAsync(harness.TenantId, postmortem.Id)).Single();
        harness.Graph.FailNext("PATCH", "/tasks/", 503);
        await UpdateActionAsync(harness, postmortem.Id, action.Id, a => a with { DueDate = new DateOnly(2026, 12, 11) });
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        Assert.AreNotEqual("2026-12-11T00:00:00", harness.Graph.TodoTasks.Single().Due);
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await harness.DrainWorkerAsync();
        Assert.AreEqual("2026-12-11T00:00:00", harness.Graph.TodoTasks.Single().Due);
    }

    [TestMethod]
    public async Task ReassignedActionsMoveToTheNewOwnersListAndLeaveTheOldOne()
    {
        await using var harness = await GraphSyncHarness.StartAsync(todoSync: true);
        var (postmortem, action) = await SeedAndSyncAsync(harness);

        await UpdateActionAsync(harness, postmortem.Id, action.Id, a => a with { Owner = TestData.Alex });
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();

        var task = harness.Graph!.TodoTasks.Single();
        Assert.AreEqual(TestData.Alex.ObjectId, task.UserId, "the old owner's task was deleted");
        Assert.AreEqual(2, harness.Graph.Subscriptions.Count, "one per owner list");
    }

    [TestMethod]
    public async Task LocalModeSyncsNothing()
    {
        await using var harness = await GraphSyncHarness.StartAsync(graph: false, todoSync: true);
        await harness.SeedPostmortemAsync();
        Assert.IsFalse((await harness.Outbox.ListAsync()).Any(i => i.Operation.StartsWith("todo.", StringComparison.Ordinal)));
        Assert.AreEqual(0, await harness.App.GetRequiredService<TodoSyncJob>().RunOnceAsync(CancellationToken.None));
    }

    private static PostmortemItemStore<ActionItem> Actions(GraphSyncHarness harness) => harness.App.GetRequiredService<PostmortemItemStore<ActionItem>>();

    private static async Task<(Postmortem Postmortem, ActionItem Action)> SeedAndSyncAsync(GraphSyncHarness harness)
    {
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Time.Advance(Coalesce);
        await harness.DrainWorkerAsync();
        var action = (await Actions(harness).ListAsync(harness.TenantId, postmortem.Id)).Single();
        return (postmortem, action);
    }

    private static async Task UpdateActionAsync(GraphSyncHarness harness, string postmortemId, string actionId, Func<ActionItem, ActionItem> change)
    {
        var current = await Actions(harness).GetAsync(harness.TenantId, postmortemId, actionId);
        var result = await Actions(harness).UpdateAsync(harness.TenantId, change(current!));
        Assert.AreEqual(WriteStatus.Saved, result.Status, string.Join("; ", result.Errors.Select(e => e.Message)));
    }
}
