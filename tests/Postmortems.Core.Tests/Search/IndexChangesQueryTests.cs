using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Search;

/// <summary>The index query of rows written since a moment, by storage's own Timestamp, against a real Azurite.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IndexChangesQueryTests
{
    [TestMethod]
    public async Task AQueryOfChangesReturnsOnlyTheRowsWrittenSinceTheNewestOneRead()
    {
        await using var storage = await TestStorage.CreateAsync((await SharedAzurite.GetAsync()).ConnectionString, "c" + Guid.NewGuid().ToString("N")[..10]);
        var postmortems = storage.GetRequiredService<PostmortemRepository>();
        var index = storage.GetRequiredService<PostmortemIndex>();
        string tenant = TestData.NewTenantId();
        var first = (await postmortems.CreateAsync(tenant, TestData.Postmortem() with { Title = "Payments outage" })).Value!;
        var all = await index.QueryAsync(tenant, new IndexFilter(), [], CancellationToken.None);
        var newest = all.Single().Timestamp;
        Assert.IsNotNull(newest, "rows read from storage carry its Timestamp");

        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > newest.Value.AddMilliseconds(50)), "a later storage clock");
        var second = (await postmortems.CreateAsync(tenant, TestData.Postmortem() with { Title = "Search outage" })).Value!;
        var changed = await index.QueryAsync(tenant, new IndexFilter(ChangedSince: newest.Value.AddMilliseconds(1)), [], CancellationToken.None);

        CollectionAssert.AreEqual(new[] { second.Id }, changed.Select(r => r.Id).ToList());
        Assert.AreNotEqual(first.Id, second.Id);
    }
}
