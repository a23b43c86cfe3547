using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Storage;

/// <summary>The storage against a real Azurite, through the services exactly as the app registers them.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PostmortemStorageTests
{
    private static ServiceProvider _services = null!;

    private static PostmortemRepository Postmortems => _services.GetRequiredService<PostmortemRepository>();

    private static PostmortemItemStore<TimelineEntry> Timeline => _services.GetRequiredService<PostmortemItemStore<TimelineEntry>>();

    private static PostmortemItemStore<ActionItem> Actions => _services.GetRequiredService<PostmortemItemStore<ActionItem>>();

    [ClassInitialize]
    public static async Task StartStorage(TestContext context)
    {
        var azurite = await SharedAzurite.GetAsync();
        _services = await TestStorage.CreateAsync(azurite.ConnectionString);
    }

    [ClassCleanup]
    public static async Task StopStorage() => await _services.DisposeAsync();

    [TestMethod]
    public async Task EveryEntityRoundTripsThroughStorage()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var entry = TestData.TimelineEntry(postmortem.Id);
        var idea = new RemediationIdea { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Category = RemediationCategory.Detect, Text = "Alert on canary error rate." };
        var action = TestData.Action(postmortem.Id) with { CreatedFromIdeaId = idea.Id };
        var whys = new FiveWhys { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Problem = "Checkout failed", Whys = ["Config was invalid", "No schema check", "Config skipped the canary"] };
        var factor = new ContributingFactor { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Text = "Config and code ship through different pipelines.", Category = Core.Analysis.FactorCategory.ChangeAndDeployment };
        var takeaway = new Takeaway { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "Config is code." };

        Assert.AreEqual(WriteStatus.Saved, (await Timeline.AddAsync(tenant, postmortem, entry)).Status);
        Assert.AreEqual(WriteStatus.Saved, (await Store<RemediationIdea>().AddAsync(tenant, postmortem, idea)).Status);
        Assert.AreEqual(WriteStatus.Saved, (await Actions.AddAsync(tenant, postmortem, action)).Status);
        Assert.AreEqual(WriteStatus.Saved, (await Store<FiveWhys>().AddAsync(tenant, postmortem, whys)).Status);
        Assert.AreEqual(WriteStatus.Saved, (await Store<ContributingFactor>().AddAsync(tenant, postmortem, factor)).Status);
        Assert.AreEqual(WriteStatus.Saved, (await Store<Takeaway>().AddAsync(tenant, postmortem, takeaway)).Status);

        var document = await _services.GetRequiredService<PostmortemDocumentReader>().ReadAsync(tenant, postmortem.Id);

        Assert.IsNotNull(document);
        AssertSame(postmortem, document.Postmortem);
        AssertSameItem(entry, document.Timeline.Single());
        Assert.AreEqual(TimeSpan.FromHours(1), document.Timeline.Single().OccurredAt.Offset, "the time reads in its own zone (Paris in November)");
        AssertSameItem(idea, document.Ideas.Single());
        AssertSameItem(action, document.Actions.Single());
        var readWhys = document.Whys.Single();
        CollectionAssert.AreEqual(whys.Whys.ToArray(), readWhys.Whys.ToArray());
        AssertSameItem(whys with { Whys = readWhys.Whys }, readWhys);
        var readFactor = document.ContributingFactors.Single();
        CollectionAssert.AreEqual(factor.EntryIds.ToList(), readFactor.EntryIds.ToList(), "linked entries");
        AssertSameItem(factor, readFactor with { EntryIds = factor.EntryIds });
        AssertSameItem(takeaway, document.Takeaways.Single());
    }

    [TestMethod]
    public async Task AnotherTenantCanNeitherReadNorUpdateAPostmortemById()
    {
        string tenantA = TestData.NewTenantId();
        string tenantB = TestData.NewTenantId();
        var created = (await Postmortems.CreateAsync(tenantA, TestData.Postmortem())).Value!;

        var readByB = await Postmortems.GetAsync(tenantB, created.Id);
        var updateByB = await Postmortems.UpdateAsync(tenantB, created with { Title = "Renamed by tenant B" });
        var documentForB = await _services.GetRequiredService<PostmortemDocumentReader>().ReadAsync(tenantB, created.Id);
        var listForB = await Postmortems.ListAsync(tenantB);

        Assert.IsNull(readByB);
        Assert.AreEqual(WriteStatus.NotFound, updateByB.Status);
        Assert.IsNull(documentForB);
        Assert.IsEmpty(listForB.Items);
        Assert.AreEqual(created.Title, (await Postmortems.GetAsync(tenantA, created.Id))!.Title);
    }

    [TestMethod]
    public async Task AnotherTenantCanNeitherReadNorUpdateAnActionById()
    {
        string tenantA = TestData.NewTenantId();
        string tenantB = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenantA, TestData.Postmortem())).Value!;
        var action = (await Actions.AddAsync(tenantA, postmortem, TestData.Action(postmortem.Id))).Value!;

        Assert.IsNull(await Actions.GetAsync(tenantB, postmortem.Id, action.Id));
        Assert.IsEmpty(await Actions.ListAsync(tenantB, postmortem.Id));
        Assert.AreEqual(WriteStatus.NotFound, (await Actions.UpdateAsync(tenantB, action with { Status = ActionStatus.Done })).Status);
        Assert.AreEqual(WriteStatus.NotFound, (await Actions.DeleteAsync(tenantB, action)).Status);
        Assert.AreEqual(ActionStatus.Open, (await Actions.GetAsync(tenantA, postmortem.Id, action.Id))!.Status);
    }

    [TestMethod]
    public async Task ConcurrentUpdateOfAPostmortemIsAConflictAndKeepsTheFirstChange()
    {
        string tenant = TestData.NewTenantId();
        var created = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var copyOfAlex = await Postmortems.GetAsync(tenant, created.Id);
        var copyOfMegan = await Postmortems.GetAsync(tenant, created.Id);

        var first = await Postmortems.UpdateAsync(tenant, copyOfAlex! with { Summary = "Alex's summary" });
        var second = await Postmortems.UpdateAsync(tenant, copyOfMegan! with { Summary = "Megan's summary" });

        Assert.AreEqual(WriteStatus.Saved, first.Status);
        Assert.AreNotEqual(copyOfAlex!.ETag, first.Value!.ETag);
        Assert.AreEqual(WriteStatus.Conflict, second.Status);
        Assert.AreEqual("Alex's summary", second.Value!.Summary, "the conflict carries the version that won");
        Assert.AreEqual("Alex's summary", (await Postmortems.GetAsync(tenant, created.Id))!.Summary);
    }

    [TestMethod]
    public async Task ManyConcurrentEditsOfOneActionEitherApplyOrReportAConflict()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var action = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Actions.UpdateAsync(tenant, action with { Title = $"Route config changes through canary, take {i}" })));

        Assert.AreEqual(1, results.Count(r => r.Status == WriteStatus.Saved));
        Assert.AreEqual(9, results.Count(r => r.Status == WriteStatus.Conflict));
        var winner = results.Single(r => r.IsSaved).Value!;
        Assert.AreEqual(winner.Title, (await Actions.GetAsync(tenant, postmortem.Id, action.Id))!.Title);
    }

    [TestMethod]
    public async Task DeletingWithAStaleVersionIsAConflictAndDeletesNothing()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var entry = (await Timeline.AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id))).Value!;
        await Timeline.UpdateAsync(tenant, entry with { Outcome = "Refined in the meeting." });

        var stale = await Timeline.DeleteAsync(tenant, entry);

        Assert.AreEqual(WriteStatus.Conflict, stale.Status);
        Assert.IsNotNull(await Timeline.GetAsync(tenant, postmortem.Id, entry.Id));
    }

    [TestMethod]
    public async Task InvalidOrOversizedInputIsRefusedWithMessagesAndNothingIsStored()
    {
        string tenant = TestData.NewTenantId();
        var badPostmortem = TestData.Postmortem() with { Title = "", Summary = new string('s', TextLimits.LongText + 1) };

        var refused = await Postmortems.CreateAsync(tenant, badPostmortem);

        Assert.AreEqual(WriteStatus.Invalid, refused.Status);
        CollectionAssert.AreEquivalent(new[] { "title", "summary" }, refused.Errors.Select(e => e.Field).ToArray());
        Assert.IsNull(await Postmortems.GetAsync(tenant, badPostmortem.Id));

        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var badEntry = TestData.TimelineEntry(postmortem.Id) with { Actor = "", Assumptions = new string('a', 100_000) };
        var refusedEntry = await Timeline.AddAsync(tenant, postmortem, badEntry);

        Assert.AreEqual(WriteStatus.Invalid, refusedEntry.Status);
        CollectionAssert.AreEquivalent(new[] { "actor", "assumptions" }, refusedEntry.Errors.Select(e => e.Field).ToArray());
        Assert.IsEmpty(await Timeline.ListAsync(tenant, postmortem.Id));
    }

    [TestMethod]
    public async Task ActionWithoutOwnerOrDateOrThatOnlyAsksForCareIsNotStored()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;

        var noOwner = await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Owner = null, DueDate = null });
        var wish = await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Be more careful with config" });

        CollectionAssert.AreEquivalent(new[] { "owner", "dueDate" }, noOwner.Errors.Select(e => e.Field).ToArray());
        Assert.AreEqual(WriteStatus.Invalid, wish.Status);
        StringAssert.Contains(wish.Errors.Single().Message, "“Be more careful” asks people to try harder");
        Assert.IsEmpty(await Actions.ListAsync(tenant, postmortem.Id));
    }

    [TestMethod]
    public async Task BlamingWordsGetSuggestionsButNeverBlockASave()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var entry = TestData.TimelineEntry(postmortem.Id) with { Outcome = "Human error: Alex should have checked the config." };

        var saved = await Timeline.AddAsync(tenant, postmortem, entry);
        var suggestions = BlamelessLanguage.Check("outcome", entry.Outcome, [TestData.Alex.DisplayName]);

        Assert.AreEqual(WriteStatus.Saved, saved.Status);
        CollectionAssert.AreEquivalent(new[] { "Human error", "should have" }, suggestions.Select(s => s.Phrase).ToArray());
        Assert.AreEqual(entry.Outcome, (await Timeline.GetAsync(tenant, postmortem.Id, entry.Id))!.Outcome);
    }

    [TestMethod]
    public async Task TheSameItemDeliveredTwiceIsStoredOnce()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var entry = TestData.TimelineEntry(postmortem.Id);

        var first = await Timeline.AddAsync(tenant, postmortem, entry);
        var again = await Timeline.AddAsync(tenant, postmortem, entry with { Description = "A retried delivery" });
        var duplicatePostmortem = await Postmortems.CreateAsync(tenant, postmortem with { ETag = null });

        Assert.AreEqual(WriteStatus.Saved, first.Status);
        Assert.AreEqual(WriteStatus.AlreadyExists, again.Status);
        Assert.AreEqual(entry.Description, again.Value!.Description);
        Assert.HasCount(1, await Timeline.ListAsync(tenant, postmortem.Id));
        Assert.AreEqual(WriteStatus.AlreadyExists, duplicatePostmortem.Status);
    }

    [TestMethod]
    public async Task TenantListIsNewestFirstPagedAndFilteredByStatus()
    {
        string tenant = TestData.NewTenantId();
        var start = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 5; i++)
        {
            var p = TestData.Postmortem(start.AddDays(i)) with { Title = $"Incident {i}", Status = i % 2 == 0 ? PostmortemStatus.Draft : PostmortemStatus.Closed };
            Assert.IsTrue((await Postmortems.CreateAsync(tenant, p)).IsSaved);
        }

        var page1 = await Postmortems.ListAsync(tenant, pageSize: 2);
        var page2 = await Postmortems.ListAsync(tenant, pageSize: 2, continuationToken: page1.ContinuationToken);
        var page3 = await Postmortems.ListAsync(tenant, pageSize: 2, continuationToken: page2.ContinuationToken);
        var closed = await Postmortems.ListAsync(tenant, PostmortemStatus.Closed);

        CollectionAssert.AreEqual(
            new[] { "Incident 4", "Incident 3", "Incident 2", "Incident 1", "Incident 0" },
            page1.Items.Concat(page2.Items).Concat(page3.Items).Select(p => p.Title).ToArray());
        Assert.IsNull(page3.ContinuationToken);
        CollectionAssert.AreEqual(new[] { "Incident 3", "Incident 1" }, closed.Items.Select(p => p.Title).ToArray());
    }

    [TestMethod]
    [DataRow("does-not-exist")]
    [DataRow("../etc/passwd")]
    [DataRow("x' or PartitionKey ne '")]
    [DataRow("")]
    public async Task UnknownOrMalformedIdsReadAsNotFound(string id)
    {
        string tenant = TestData.NewTenantId();

        Assert.IsNull(await Postmortems.GetAsync(tenant, id));
        Assert.IsNull(await Actions.GetAsync(tenant, id, id));
        Assert.IsEmpty(await Actions.ListAsync(tenant, id));
        Assert.IsNull(await _services.GetRequiredService<PostmortemDocumentReader>().ReadAsync(tenant, id));
    }

    [TestMethod]
    public async Task StorageOutageIsReportedAsUnavailableNotAsACrash()
    {
        int closedPort = FreePort.Next();
        var options = new StorageOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;",
            TimeoutSeconds = 1,
        };
        var repository = new PostmortemRepository(new PostmortemTables(StorageServiceCollectionExtensions.CreateServiceClient(options), string.Empty));

        var error = await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => repository.CreateAsync(TestData.NewTenantId(), TestData.Postmortem()));

        Assert.AreEqual("Storage is not reachable right now. Nothing was saved.", error.Message);
    }

    [TestMethod]
    public async Task RolesPublicationAndHistoryRoundTripAndRowsWrittenBeforeTheLifecycleStillRead()
    {
        string tenant = TestData.NewTenantId();
        var created = (await Postmortems.CreateAsync(tenant, TestData.Postmortem())).Value!;
        var now = DateTimeOffset.UtcNow;
        var handedOver = Core.Lifecycle.PostmortemLifecycle.HandOver(created, TestData.Alex, TestData.Megan, now).Moved!;
        var published = Core.Lifecycle.PostmortemLifecycle.Apply(
            handedOver with { Status = PostmortemStatus.InReview, IncidentCommander = TestData.Alex, IncidentChannelConversationId = "19:thread;messageid=1" },
            new Core.Lifecycle.LifecycleRequest(Core.Lifecycle.LifecycleStep.Publish, TestData.Megan, now, "Nothing went well; we say so.", UnmetChecks: 1)).Moved!;

        Assert.AreEqual(WriteStatus.Saved, (await Postmortems.UpdateAsync(tenant, published)).Status);
        var read = (await Postmortems.GetAsync(tenant, created.Id))!;

        Assert.AreEqual(PostmortemStatus.Published, read.Status);
        Assert.AreEqual(TestData.Megan, read.Facilitator);
        Assert.AreEqual(TestData.Alex, read.IncidentCommander);
        Assert.AreEqual(TestData.Megan, read.PublishedBy);
        Assert.AreEqual(now.UtcTicks / 10_000, read.PublishedAt!.Value.UtcTicks / 10_000);
        Assert.AreEqual("19:thread;messageid=1", read.IncidentChannelConversationId);
        Assert.HasCount(2, read.History);
        Assert.AreEqual("Nothing went well; we say so.", read.History[^1].Reason);

        var tables = _services.GetRequiredService<PostmortemTables>();
        foreach (var (old, now2) in new[] { ("Open", PostmortemStatus.Draft), ("Reviewed", PostmortemStatus.InReview) })
        {
            var entity = (await tables.Postmortems.GetEntityAsync<Azure.Data.Tables.TableEntity>(PartitionKeys.ForTenant(tenant), created.Id)).Value;
            entity["Status"] = old;
            entity.Remove("History");
            await tables.Postmortems.UpdateEntityAsync(entity, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);

            var legacy = (await Postmortems.GetAsync(tenant, created.Id))!;

            Assert.AreEqual(now2, legacy.Status, old);
            Assert.IsEmpty(legacy.History);
        }
    }

    private static PostmortemItemStore<T> Store<T>()
        where T : PostmortemItem => _services.GetRequiredService<PostmortemItemStore<T>>();

    private static void AssertSame(Postmortem expected, Postmortem actual) =>
        Assert.AreEqual(expected with { ETag = null }, actual with { ETag = null });

    private static void AssertSameItem<T>(T expected, T actual)
        where T : PostmortemItem =>
        Assert.AreEqual(expected with { ETag = null }, actual with { ETag = null });
}
