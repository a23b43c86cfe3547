using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Storage;

/// <summary>Removing and restoring items against a real Azurite, through the services as the app registers them.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ItemRemovalStorageTests
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
    public async Task WhoEditedAnItemIsStoredWithItAndStaysThroughRemoveAndUndo()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var store = Store<Core.Analysis.WentWell>();
        var added = (await store.AddAsync(tenant, postmortem, new Core.Analysis.WentWell { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "The alert fired fast" })).Value!;

        var edited = await store.UpdateAsync(tenant, added with { Text = "The alert fired within a minute", EditedBy = TestData.Alex });
        var stale = await store.UpdateAsync(tenant, added with { Text = "An older version", EditedBy = TestData.Megan });
        await RemoveAsync(tenant, store, edited.Value!);
        await store.RestoreAsync(tenant, postmortem.Id, added.Id);
        var read = await store.GetAsync(tenant, postmortem.Id, added.Id);

        Assert.IsNull(added.EditedBy);
        Assert.AreEqual(WriteStatus.Conflict, stale.Status, "the version the form showed is sent as If-Match");
        Assert.AreEqual(TestData.Alex, stale.Value!.EditedBy, "the conflict names who changed it");
        Assert.AreEqual(TestData.Alex, read!.EditedBy);
        Assert.AreEqual(TestData.Megan, read.Author);
        Assert.AreEqual("The alert fired within a minute", read.Text);
    }

    [TestMethod]
    public async Task ARemovedItemOfEveryKindVanishesFromEveryReadAndUndoBringsItBackAsItWas()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var entry = (await Store<TimelineEntry>().AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id))).Value!;
        var idea = (await Store<RemediationIdea>().AddAsync(tenant, postmortem, new RemediationIdea { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Category = RemediationCategory.Detect, Text = "Alert on the canary." })).Value!;
        var whys = (await Store<FiveWhys>().AddAsync(tenant, postmortem, new FiveWhys { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Problem = "Checkout failed", Whys = ["No schema check"] })).Value!;
        var takeaway = (await Store<Takeaway>().AddAsync(tenant, postmortem, new Takeaway { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "Config is code." })).Value!;
        var action = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Priority = ActionPriority.High, WorkItemLink = "https://tracker.example.com/items/42" })).Value!;

        await RemoveAsync(tenant, Store<TimelineEntry>(), entry);
        await RemoveAsync(tenant, Store<RemediationIdea>(), idea);
        await RemoveAsync(tenant, Store<FiveWhys>(), whys);
        await RemoveAsync(tenant, Store<Takeaway>(), takeaway);
        await RemoveAsync(tenant, Actions, action);

        var document = (await _services.GetRequiredService<PostmortemDocumentReader>().ReadAsync(tenant, postmortem.Id))!;
        Assert.IsEmpty(document.Timeline);
        Assert.IsEmpty(document.Ideas);
        Assert.IsEmpty(document.Whys);
        Assert.IsEmpty(document.Takeaways);
        Assert.IsEmpty(document.Actions);
        Assert.IsEmpty((await Index.PageAsync(tenant, TestData.Megan.ObjectId, null, 50)).Items, "gone from the owner's actions");
        var tombstone = (await Actions.GetRemovedAsync(tenant, postmortem.Id, action.Id))!.Tombstone;
        Assert.AreEqual(TestData.Alex, tombstone.RemovedBy);
        Assert.IsLessThan(TimeSpan.FromMinutes(5), (DateTimeOffset.UtcNow - tombstone.RemovedAt).Duration());

        var restored = await Actions.RestoreAsync(tenant, postmortem.Id, action.Id);
        var again = await Actions.RestoreAsync(tenant, postmortem.Id, action.Id);

        Assert.AreEqual(WriteStatus.Saved, restored.Status);
        Assert.AreEqual(WriteStatus.AlreadyExists, again.Status, "a second Undo changes nothing");
        var back = (await Actions.GetAsync(tenant, postmortem.Id, action.Id))!;
        Assert.AreEqual(action.Title, back.Title);
        Assert.AreEqual(ActionPriority.High, back.Priority);
        Assert.AreEqual("https://tracker.example.com/items/42", back.WorkItemLink);
        Assert.IsNull(await Actions.GetRemovedAsync(tenant, postmortem.Id, action.Id), "no tombstone left");
        Assert.HasCount(1, (await Index.PageAsync(tenant, TestData.Megan.ObjectId, null, 50)).Items, "back in the owner's actions");
        Assert.AreEqual(WriteStatus.Saved, (await Store<TimelineEntry>().RestoreAsync(tenant, postmortem.Id, entry.Id)).Status);
        Assert.HasCount(1, await Store<TimelineEntry>().ListAsync(tenant, postmortem.Id));
    }

    [TestMethod]
    public async Task RemovingAVersionSomeoneChangedSinceIsRefusedAndChangesNothing()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var read = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;
        var changed = (await Actions.UpdateAsync(tenant, read with { Title = "Run config changes through the canary" })).Value!;

        var result = await Actions.RemoveAsync(tenant, read, TestData.Alex);

        Assert.AreEqual(WriteStatus.Conflict, result.Status);
        Assert.AreEqual(changed.Title, (await Actions.GetAsync(tenant, postmortem.Id, read.Id))!.Title, "still there, as changed");
    }

    [TestMethod]
    public async Task AnotherTenantsOrPostmortemsItemIdCanNeitherBeRemovedNorRestored()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var other = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var action = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var byOtherTenant = await Actions.RemoveAsync(TestData.NewTenantId(), action, TestData.Alex);
        var throughOtherPostmortem = await Actions.RemoveAsync(tenant, action with { PostmortemId = other.Id }, TestData.Alex);
        await RemoveAsync(tenant, Actions, action);
        var restoreByOtherTenant = await Actions.RestoreAsync(TestData.NewTenantId(), postmortem.Id, action.Id);
        var restoreThroughOther = await Actions.RestoreAsync(tenant, other.Id, action.Id);

        Assert.AreEqual(WriteStatus.NotFound, byOtherTenant.Status);
        Assert.AreEqual(WriteStatus.NotFound, throughOtherPostmortem.Status);
        Assert.AreEqual(WriteStatus.NotFound, restoreByOtherTenant.Status);
        Assert.AreEqual(WriteStatus.NotFound, restoreThroughOther.Status);
        Assert.IsNotNull(await Actions.GetRemovedAsync(tenant, postmortem.Id, action.Id), "still removed: neither restore reached it");
    }

    [TestMethod]
    public async Task EditingAnItemSomeoneRemovedMeanwhileSaysItIsGone()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var read = (await Store<TimelineEntry>().AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id))).Value!;
        await RemoveAsync(tenant, Store<TimelineEntry>(), read);

        var edit = await Store<TimelineEntry>().UpdateAsync(tenant, read with { Description = "Edited after it was removed" });

        Assert.AreEqual(WriteStatus.NotFound, edit.Status);
        Assert.IsNull(await Store<TimelineEntry>().GetAsync(tenant, postmortem.Id, read.Id), "not brought back by the edit");
    }

    [TestMethod]
    public async Task ActionsAreListedByDueDateThenPriorityInTheDocumentAndInMyActions()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);
        foreach (var (title, priority, day) in new[] { ("low", ActionPriority.Low, 0), ("medium", ActionPriority.Medium, 0), ("later high", ActionPriority.High, 1), ("high", ActionPriority.High, 0) })
        {
            await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Add an alert: " + title, Priority = priority, DueDate = due.AddDays(day) });
        }

        var document = (await _services.GetRequiredService<PostmortemDocumentReader>().ReadAsync(tenant, postmortem.Id))!;
        var mine = await Index.PageAsync(tenant, TestData.Megan.ObjectId, null, 50);

        string[] expected = ["Add an alert: high", "Add an alert: medium", "Add an alert: low", "Add an alert: later high"];
        CollectionAssert.AreEqual(expected, document.Actions.Select(a => a.Title).ToArray());
        CollectionAssert.AreEqual(expected, mine.Items.Select(o => o.Action.Title).ToArray());
    }

    private static async Task RemoveAsync<T>(string tenant, PostmortemItemStore<T> store, T item)
        where T : PostmortemItem
    {
        var result = await store.RemoveAsync(tenant, item, TestData.Alex);
        Assert.AreEqual(WriteStatus.Saved, result.Status, $"{typeof(T).Name} removed");
        Assert.IsNull(await store.GetAsync(tenant, item.PostmortemId, item.Id));
        Assert.IsEmpty(await store.ListAsync(tenant, item.PostmortemId));
    }

    private static PostmortemItemStore<T> Store<T>()
        where T : PostmortemItem => _services.GetRequiredService<PostmortemItemStore<T>>();
}
