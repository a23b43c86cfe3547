using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Search;

/// <summary>
/// The search index backfill against a real Azurite: postmortems stored by a version without the index (written here
/// by the repository and item store without their index follower) enter search; a second run, a restart and a second
/// instance add nothing twice; a stopped run goes on where it stopped; it can be switched off.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IndexBackfillTests
{
    private readonly string _prefix = "b" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<ServiceProvider> _instances = [];

    [TestCleanup]
    public async Task StopAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task PostmortemsStoredBeforeTheIndexAppearInSearchOnceTheHostedBackfillHasRun()
    {
        var logs = new RecordingLogs();
        var app = await InstanceAsync(logs: logs, settings: new() { ["Search:Backfill:StartDelaySeconds"] = "0" });
        string tenant = TestData.NewTenantId();
        var old = await StoreWithoutIndexAsync(app, tenant, "Payments outage", "Certificate renewal is manual");
        await StoreWithoutIndexAsync(app, TestData.NewTenantId(), "Search outage", null);
        var search = app.GetRequiredService<PostmortemSearch>();
        Assert.AreEqual(0, (await search.SearchAsync(tenant, new SearchRequest { Text = "certificate" }, CancellationToken.None)).Total, "not indexed yet");

        var host = app.GetServices<IHostedService>().OfType<IndexBackfill>().Single();
        await host.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => (await app.GetRequiredService<IndexBackfillProgress>().ReadAsync(CancellationToken.None)).Done, "the backfill done");
        await host.StopAsync(CancellationToken.None);

        var found = await search.SearchAsync(tenant, new SearchRequest { Text = "certificate" }, CancellationToken.None);
        Assert.AreEqual(old.Id, found.Items.Single().Id, "found by the words of its contributing factor");
        var finished = logs.Entries.Single(e => e.Message.StartsWith("Search index backfill finished", StringComparison.Ordinal));
        StringAssert.Contains(finished.Message, "2 postmortems checked, 2 added to the index or rebuilt");
    }

    [TestMethod]
    public async Task ASecondRunAndARestartDoNothingAndRowsAlreadyCurrentAreLeftAlone()
    {
        var app = await InstanceAsync(settings: new() { ["Search:Backfill:PageSize"] = "2" });
        string tenant = TestData.NewTenantId();
        for (int i = 0; i < 3; i++)
        {
            await StoreWithoutIndexAsync(app, tenant, $"Outage {i}", null);
        }

        await app.GetRequiredService<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem() with { Title = "Indexed on write" });

        Assert.AreEqual(new BackfillRun(Pages: 2, Checked: 4, Refreshed: 3), await Backfill(app).RunAsync(int.MaxValue, CancellationToken.None));
        Assert.AreEqual(new BackfillRun(0, 0, 0), await Backfill(app).RunAsync(int.MaxValue, CancellationToken.None), "a second run");
        var restarted = await InstanceAsync();
        Assert.AreEqual(new BackfillRun(0, 0, 0), await Backfill(restarted).RunAsync(int.MaxValue, CancellationToken.None), "after a restart");
        Assert.AreEqual(4, (await restarted.GetRequiredService<PostmortemSearch>().SearchAsync(tenant, new SearchRequest(), CancellationToken.None)).Total);
    }

    [TestMethod]
    public async Task AStoppedBackfillGoesOnFromTheLastPageRecordedAfterARestart()
    {
        var pageOfTwo = new Dictionary<string, string?> { ["Search:Backfill:PageSize"] = "2" };
        var app = await InstanceAsync(settings: pageOfTwo);
        string tenant = TestData.NewTenantId();
        for (int i = 0; i < 5; i++)
        {
            await StoreWithoutIndexAsync(app, tenant, $"Outage {i}", null);
        }

        Assert.AreEqual(new BackfillRun(1, 2, 2), await Backfill(app).RunAsync(maxPages: 1, CancellationToken.None), "stopped after one page");
        var recorded = await app.GetRequiredService<IndexBackfillProgress>().ReadAsync(CancellationToken.None);
        Assert.IsFalse(recorded.Done);
        Assert.IsNotNull(recorded.Continuation);

        var restarted = await InstanceAsync(settings: pageOfTwo);
        Assert.AreEqual(new BackfillRun(2, 3, 3), await Backfill(restarted).RunAsync(int.MaxValue, CancellationToken.None), "only the rest, not from the start");
        var done = await restarted.GetRequiredService<IndexBackfillProgress>().ReadAsync(CancellationToken.None);
        Assert.AreEqual((true, 5L, 5L), (done.Done, done.Checked, done.Refreshed));
        Assert.AreEqual(5, (await restarted.GetRequiredService<PostmortemSearch>().SearchAsync(tenant, new SearchRequest { Text = "outage" }, CancellationToken.None)).Total);
    }

    [TestMethod]
    public async Task TwoInstancesBackfillingAtOnceBothFinishWithEveryPostmortemIndexedOnce()
    {
        var pageOfThree = new Dictionary<string, string?> { ["Search:Backfill:PageSize"] = "3", ["Search:Backfill:PauseBetweenPagesSeconds"] = "0" };
        var one = await InstanceAsync(settings: pageOfThree);
        var two = await InstanceAsync(settings: pageOfThree);
        string tenant = TestData.NewTenantId();
        for (int i = 0; i < 10; i++)
        {
            await StoreWithoutIndexAsync(one, tenant, $"Outage {i}", null);
        }

        var runs = await Task.WhenAll(Backfill(one).RunAsync(int.MaxValue, CancellationToken.None), Backfill(two).RunAsync(int.MaxValue, CancellationToken.None));

        Assert.IsTrue(runs.Sum(r => r.Refreshed) >= 10, "each postmortem rebuilt by one or both");
        var index = one.GetRequiredService<PostmortemTables>().Index;
        var rows = new List<string>();
        await foreach (var row in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), select: ["RowKey", nameof(IndexRow.SchemaVersion)]))
        {
            Assert.AreEqual(IndexRow.SchemaVersion, row.GetInt32(nameof(IndexRow.SchemaVersion)));
            rows.Add(row.RowKey);
        }

        Assert.AreEqual(10, rows.Count);
        Assert.IsTrue((await one.GetRequiredService<IndexBackfillProgress>().ReadAsync(CancellationToken.None)).Done);
    }

    [TestMethod]
    public async Task RowsWrittenByAnOlderVersionOfTheIndexAreRebuilt()
    {
        var app = await InstanceAsync();
        string tenant = TestData.NewTenantId();
        var postmortem = (await app.GetRequiredService<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem() with { Title = "Ledger outage" })).Value!;
        var index = app.GetRequiredService<PostmortemTables>().Index;
        var older = new TableEntity(tenant, postmortem.Id) { ["Title"] = "Ledger outage", ["Words"] = string.Empty };
        await index.UpsertEntityAsync(older, TableUpdateMode.Replace);

        Assert.AreEqual(1, (await Backfill(app).RunAsync(int.MaxValue, CancellationToken.None)).Refreshed);

        var rebuilt = await app.GetRequiredService<PostmortemIndex>().GetAsync(tenant, postmortem.Id, CancellationToken.None);
        StringAssert.Contains(rebuilt!.Words, "ledger");
    }

    [TestMethod]
    public async Task SwitchedOffByConfigurationItReadsNothing()
    {
        var logs = new RecordingLogs();
        var app = await InstanceAsync(logs: logs, settings: new() { ["Search:Backfill:Enabled"] = "false", ["Search:Backfill:StartDelaySeconds"] = "0" });
        await StoreWithoutIndexAsync(app, TestData.NewTenantId(), "Payments outage", null);

        var host = app.GetServices<IHostedService>().OfType<IndexBackfill>().Single();
        await host.StartAsync(CancellationToken.None);
        await host.ExecuteTask!;

        Assert.IsNull((await app.GetRequiredService<IndexBackfillProgress>().ReadAsync(CancellationToken.None)).ETag, "no progress recorded");
        Assert.IsTrue(logs.Entries.Any(e => e.Message.StartsWith("Search index backfill is off", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("Search:Backfill:PageSize", "0")]
    [DataRow("Search:Backfill:PageSize", "5000")]
    [DataRow("Search:Backfill:PauseBetweenPagesSeconds", "-1")]
    [DataRow("Search:Backfill:MaxRetrySeconds", "1")]
    public async Task SettingsOutOfRangeAreRefusedAtStartWithTheirName(string key, string value)
    {
        var app = await InstanceAsync(settings: new() { [key] = value });

        var refused = Assert.ThrowsExactly<OptionsValidationException>(() => app.GetRequiredService<IOptions<IndexBackfillOptions>>().Value);
        StringAssert.Contains(refused.Message, key.Split(':')[^1]);
    }

    private static IndexBackfill Backfill(ServiceProvider instance) => instance.GetRequiredService<IndexBackfill>();

    /// <summary>A postmortem (and a contributing factor) stored as a version without the search index stored them: no index row.</summary>
    private static async Task<Postmortem> StoreWithoutIndexAsync(ServiceProvider instance, string tenant, string title, string? factor)
    {
        var tables = instance.GetRequiredService<PostmortemTables>();
        var created = (await new PostmortemRepository(tables).CreateAsync(tenant, TestData.Postmortem() with { Title = title })).Value!;
        if (factor is not null)
        {
            var factors = new PostmortemItemStore<ContributingFactor>(tables.Items, new ContributingFactorMapping(), TimeProvider.System);
            await factors.AddAsync(tenant, created, new ContributingFactor
            {
                Id = Ids.NewItemId(), PostmortemId = created.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Text = factor, Category = FactorCategory.ToolingAndAutomation,
            });
        }

        Assert.IsNull(await instance.GetRequiredService<PostmortemIndex>().GetAsync(tenant, created.Id, CancellationToken.None));
        return created;
    }

    private async Task<ServiceProvider> InstanceAsync(RecordingLogs? logs = null, Dictionary<string, string?>? settings = null)
    {
        var instance = await TestStorage.CreateAsync(
            (await SharedAzurite.GetAsync()).ConnectionString,
            _prefix,
            new Dictionary<string, string?>(settings ?? []) { ["Search:Backfill:PauseBetweenPagesSeconds"] = settings?.GetValueOrDefault("Search:Backfill:PauseBetweenPagesSeconds") ?? "0.05" },
            services => services.AddSingleton<ILoggerProvider>(logs ?? new RecordingLogs()));
        _instances.Add(instance);
        return instance;
    }
}
