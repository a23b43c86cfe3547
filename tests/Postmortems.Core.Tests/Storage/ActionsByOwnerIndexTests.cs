using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Storage;

/// <summary>"My actions" index, kept by the action store on every write, against a real Azurite.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ActionsByOwnerIndexTests
{
    private static ServiceProvider _services = null!;

    private static PostmortemRepository Postmortems => _services.GetRequiredService<PostmortemRepository>();

    private static PostmortemItemStore<ActionItem> Actions => _services.GetRequiredService<PostmortemItemStore<ActionItem>>();

    private static ActionsByOwnerIndex Index => _services.GetRequiredService<ActionsByOwnerIndex>();

    [ClassInitialize]
    public static async Task StartStorage(TestContext context)
    {
        var azurite = await SharedAzurite.GetAsync();
        _services = await TestStorage.CreateAsync(azurite.ConnectionString);
    }

    [ClassCleanup]
    public static async Task StopStorage() => await _services.DisposeAsync();

    [TestMethod]
    public async Task AnAddedActionIsListedForItsOwnerWithThePostmortemTitle()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var mine = await Index.ListAsync(tenant, TestData.Megan.ObjectId);

        var owned = mine.Single();
        Assert.AreEqual(postmortem.Title, owned.PostmortemTitle);
        Assert.AreEqual(saved.Id, owned.Action.Id);
        Assert.AreEqual(saved.Title, owned.Action.Title);
        Assert.AreEqual(saved.DueDate, owned.Action.DueDate);
        Assert.AreEqual(saved.ETag, owned.Action.ETag, "the copy carries the action's own ETag, so it can be updated from the list");
        Assert.IsEmpty(await Index.ListAsync(tenant, TestData.Alex.ObjectId));
    }

    [TestMethod]
    public async Task AReassignedActionMovesToTheNewOwner()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var moved = await Actions.UpdateAsync(tenant, saved with { Owner = TestData.Alex });

        Assert.AreEqual(WriteStatus.Saved, moved.Status);
        Assert.IsEmpty(await Index.ListAsync(tenant, TestData.Megan.ObjectId), "the old owner's copy is gone");
        var alex = (await Index.ListAsync(tenant, TestData.Alex.ObjectId)).Single();
        Assert.AreEqual(moved.Value!.ETag, alex.Action.ETag);
        Assert.AreEqual(postmortem.Title, alex.PostmortemTitle, "the title is read for an update, which has no postmortem at hand");
    }

    [TestMethod]
    public async Task ADoneActionLeavesTheListAndReturnsWhenReopened()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var started = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(saved, ActionStatus.InProgress, DateTimeOffset.UtcNow).Moved!)).Value!;
        Assert.AreEqual(ActionStatus.InProgress, (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Status);

        var done = (await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(started, ActionStatus.Done, DateTimeOffset.UtcNow).Moved!)).Value!;
        Assert.IsEmpty(await Index.ListAsync(tenant, TestData.Megan.ObjectId));

        await Actions.UpdateAsync(tenant, ActionItemRules.MoveTo(done, ActionStatus.Open, DateTimeOffset.UtcNow).Moved!);
        Assert.AreEqual(ActionStatus.Open, (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Status);
    }

    [TestMethod]
    public async Task ADeletedActionLeavesTheList()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        var kept = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        Assert.AreEqual(WriteStatus.Saved, (await Actions.DeleteAsync(tenant, saved)).Status);

        Assert.AreEqual(kept.Id, (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Id);
    }

    [TestMethod]
    public async Task AConflictingUpdateChangesNeitherTheActionNorItsCopy()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        await Actions.UpdateAsync(tenant, saved with { Title = "Route config changes through the canary, with a gate" });

        var stale = await Actions.UpdateAsync(tenant, saved with { Owner = TestData.Alex });

        Assert.AreEqual(WriteStatus.Conflict, stale.Status);
        Assert.IsEmpty(await Index.ListAsync(tenant, TestData.Alex.ObjectId));
        Assert.AreEqual("Route config changes through the canary, with a gate", (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Title);
    }

    [TestMethod]
    public async Task AnotherTenantSeesNoneOfTheOwnersActions()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id));

        Assert.IsEmpty(await Index.ListAsync(TestData.NewTenantId(), TestData.Megan.ObjectId));
    }

    [TestMethod]
    public async Task AFailedIndexWriteDoesNotUndoTheSavedAction()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var tables = _services.GetRequiredService<PostmortemTables>();
        var store = new PostmortemItemStore<ActionItem>(tables.Items, new ActionItemMapping(), TimeProvider.System, new FailingIndex());

        var added = await store.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id));

        Assert.AreEqual(WriteStatus.Saved, added.Status);
        Assert.IsNotNull(await Actions.GetAsync(tenant, postmortem.Id, added.Value!.Id));
    }

    [TestMethod]
    public async Task EveryFollowerOfAnActionIsToldEvenWhenAnEarlierOneFailed()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var tables = _services.GetRequiredService<PostmortemTables>();
        var recording = new RecordingIndex();
        var store = new PostmortemItemStore<ActionItem>(tables.Items, new ActionItemMapping(), TimeProvider.System, [new FailingIndex(), recording]);

        var added = (await store.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        var updated = (await store.UpdateAsync(tenant, added with { Owner = TestData.Alex })).Value!;
        await store.DeleteAsync(tenant, updated);

        Assert.HasCount(3, recording.Writes);
        Assert.IsNull(recording.Writes[0].Before);
        Assert.AreEqual(TestData.Megan, recording.Writes[1].Before!.Owner, "the version replaced is read before an update");
        Assert.AreEqual(TestData.Alex, recording.Writes[1].After!.Owner);
        Assert.IsNull(recording.Writes[2].After);
    }

    [TestMethod]
    public async Task EveryChangeAnotherInstanceMakesShowsInTheNextList()
    {
        // Two service providers on the same tables are two instances of the app, each with its own remembered lists.
        await using var other = await TestStorage.CreateAsync((await SharedAzurite.GetAsync()).ConnectionString);
        var theirActions = other.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var (tenant, postmortem) = await NewPostmortemAsync();
        var first = (await theirActions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        Assert.HasCount(1, await Index.ListAsync(tenant, TestData.Megan.ObjectId));
        Assert.HasCount(1, await Index.ListAsync(tenant, TestData.Megan.ObjectId), "an unchanged list is answered again");

        var second = (await theirActions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Page the owner of the config service" })).Value!;
        Assert.HasCount(2, await Index.ListAsync(tenant, TestData.Megan.ObjectId), "added elsewhere");

        var retitled = (await theirActions.UpdateAsync(tenant, second with { Title = "Page the config service's on-call" })).Value!;
        Assert.Contains("Page the config service's on-call", (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Select(o => o.Action.Title).ToList(), "changed elsewhere");

        await theirActions.UpdateAsync(tenant, retitled with { Owner = TestData.Alex });
        Assert.AreEqual(first.Id, (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Id, "reassigned elsewhere");

        await theirActions.DeleteAsync(tenant, (await theirActions.GetAsync(tenant, postmortem.Id, first.Id))!);
        Assert.IsEmpty(await Index.ListAsync(tenant, TestData.Megan.ObjectId), "deleted elsewhere");
    }

    [TestMethod]
    public async Task ThePartitionStampIsNeverReadAsAnAction()
    {
        var (tenant, postmortem) = await NewPostmortemAsync();
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var live = new List<LiveAction>();
        await foreach (var action in Index.ListAllAsync())
        {
            if (action.TenantId == tenant)
            {
                live.Add(action);
            }
        }

        Assert.AreEqual(saved.Id, live.Single().Action.Id);
        Assert.AreEqual(saved.Id, (await Index.ListAsync(tenant, TestData.Megan.ObjectId)).Single().Action.Id);
    }

    private static async Task<(string Tenant, Postmortem Postmortem)> NewPostmortemAsync()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        return (tenant, postmortem);
    }

    private sealed class RecordingIndex : IItemFollower<ActionItem>
    {
        public List<(ActionItem? Before, ActionItem? After)> Writes { get; } = [];

        public Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
        {
            Writes.Add((before, after));
            return Task.CompletedTask;
        }
    }

    private sealed class FailingIndex : IItemFollower<ActionItem>
    {
        public Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken) =>
            throw new StorageUnavailableException();
    }
}
