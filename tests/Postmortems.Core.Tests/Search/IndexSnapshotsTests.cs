using Microsoft.Extensions.Time.Testing;
using Postmortems.Core.Common;
using Postmortems.Core.Search;

namespace Postmortems.Core.Tests.Search;

/// <summary>
/// How the per-instance snapshot of a tenant's index rows is kept up to date (a fake clock and a fake storage read):
/// the whole partition once, then only the rows storage wrote since the newest one read.
/// </summary>
[TestClass]
public sealed class IndexSnapshotsTests
{
    private const string Tenant = "tenant-a";
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<DateTimeOffset?> _reads = [];
    private readonly Dictionary<string, IndexRow> _stored = new(StringComparer.Ordinal);

    [TestMethod]
    public async Task AfterTheFirstReadOnlyTheRowsWrittenSinceTheNewestAreReadAndMergedIn()
    {
        var snapshots = new IndexSnapshots(_time);
        Store("p1", "First", Start.AddMinutes(-30));
        Store("p2", "Second", Start.AddMinutes(-20));
        Assert.AreEqual(2, (await RowsAsync(snapshots)).Count);
        Assert.IsNull(_reads[^1], "the first read takes the whole partition");

        _time.Advance(IndexSnapshots.MaxAge); // too old to answer from: brought up to date first
        Store("p2", "Second, retitled", _time.GetUtcNow().AddSeconds(-1));
        Store("p3", "Third", _time.GetUtcNow());
        var rows = await RowsAsync(snapshots);

        Assert.AreEqual(Start.AddMinutes(-20) - IndexSnapshots.Overlap, _reads[^1], "from the newest row read, less the overlap");
        CollectionAssert.AreEquivalent(new[] { "First", "Second, retitled", "Third" }, rows.Select(r => r.Title).ToList());
    }

    [TestMethod]
    public async Task AReadThatFindsNothingNewKeepsTheVersionSoFiguresAreNotWorkedOutAgain()
    {
        var snapshots = new IndexSnapshots(_time);
        Store("p1", "First", Start.AddMinutes(-30));
        await RowsAsync(snapshots);
        long version = snapshots.Version(Tenant);

        _time.Advance(IndexSnapshots.MaxAge);
        await RowsAsync(snapshots); // the overlap reads p1 again, unchanged

        Assert.AreEqual(2, _reads.Count);
        Assert.AreEqual(version, snapshots.Version(Tenant));
    }

    [TestMethod]
    public async Task TheWholePartitionIsReadAgainEveryFullReadPeriod()
    {
        var snapshots = new IndexSnapshots(_time);
        Store("p1", "First", Start.AddMinutes(-30));
        await RowsAsync(snapshots);

        _time.Advance(IndexSnapshots.FullReadEvery);
        await RowsAsync(snapshots);

        Assert.IsNull(_reads[^1], "a full read, in case a write was missed by the reads of changes");
    }

    [TestMethod]
    public async Task AnEmptyTenantIsReadWholeEachTimeSinceThereIsNoNewestRow()
    {
        var snapshots = new IndexSnapshots(_time);
        Assert.AreEqual(0, (await RowsAsync(snapshots)).Count);

        _time.Advance(IndexSnapshots.MaxAge);
        Store("p1", "First", _time.GetUtcNow());

        Assert.AreEqual(1, (await RowsAsync(snapshots)).Count);
        Assert.IsNull(_reads[^1]);
    }

    private Task<IReadOnlyList<IndexRow>> RowsAsync(IndexSnapshots snapshots) =>
        snapshots.RowsAsync(Tenant, ReadAsync, CancellationToken.None);

    private Task<IReadOnlyList<IndexRow>> ReadAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        _reads.Add(since);
        IReadOnlyList<IndexRow> rows = [.. _stored.Values.Where(r => since is null || r.Timestamp >= since)];
        return Task.FromResult(rows);
    }

    private void Store(string id, string title, DateTimeOffset timestamp) =>
        _stored[id] = new IndexRow { Id = id, Title = title, Facilitator = new Person("f", "Facilitator"), ETag = "W/\"" + timestamp.Ticks + "\"", Timestamp = timestamp };
}
