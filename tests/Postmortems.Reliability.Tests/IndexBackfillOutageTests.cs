using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// The search index backfill, running as the app hosts it, with storage dropping every request in the middle of it: the
/// host keeps running, the job says so and tries again later, then finishes from the last page it recorded.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IndexBackfillOutageTests
{
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task AStorageOutageMidwayIsSurvivedAndTheBackfillFinishesFromItsLastPage()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var proxy = StorageProxy.Start(azurite.Port);
        string prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        string tenant = TestData.NewTenantId();
        await using var direct = await TestStorage.CreateAsync(azurite.ConnectionString, prefix, new Dictionary<string, string?> { ["Search:Backfill:Enabled"] = "false" });
        var tables = direct.GetRequiredService<PostmortemTables>();
        for (int i = 0; i < 6; i++)
        {
            await new PostmortemRepository(tables).CreateAsync(tenant, TestData.Postmortem() with { Title = $"Outage {i}" }); // stored without an index row
        }

        var logs = new RecordingLogs();
        await using var app = await TestStorage.CreateAsync(
            proxy.ConnectionString,
            prefix,
            new Dictionary<string, string?>
            {
                ["Storage:TimeoutSeconds"] = "5",
                ["Search:Backfill:StartDelaySeconds"] = "0",
                ["Search:Backfill:PageSize"] = "2",
                ["Search:Backfill:PauseBetweenPagesSeconds"] = "0.5",
                ["Search:Backfill:FirstRetrySeconds"] = "0.2",
                ["Search:Backfill:MaxRetrySeconds"] = "1",
            },
            services => services.AddSingleton<ILoggerProvider>(logs));
        var host = app.GetServices<IHostedService>().OfType<IndexBackfill>().Single();
        var progress = direct.GetRequiredService<IndexBackfillProgress>();

        await host.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => (await progress.ReadAsync(CancellationToken.None)).Checked >= 2, "the first page recorded");
        proxy.RefuseAfterNextWrite();
        await Eventually.UntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.Level == LogLevel.Warning)), "a warning about the outage");
        Assert.IsFalse(host.ExecuteTask!.IsCompleted, "the job is waiting to try again, not ended");
        proxy.Resume();
        await Eventually.UntilAsync(async () => (await progress.ReadAsync(CancellationToken.None)).Done, "the backfill finished after the outage");
        await host.StopAsync(CancellationToken.None);

        var done = await progress.ReadAsync(CancellationToken.None);
        Assert.AreEqual(6, done.Checked, "every page recorded once: it went on from its last page, not from the start");
        var found = await direct.GetRequiredService<PostmortemSearch>().SearchAsync(tenant, new SearchRequest { Text = "outage" }, CancellationToken.None);
        Assert.AreEqual(6, found.Total);
        Assert.IsFalse(host.ExecuteTask.IsFaulted, "the host was never brought down");
    }
}
