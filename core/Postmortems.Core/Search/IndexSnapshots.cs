using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Postmortems.Core.Search;

/// <summary>
/// The tenant's index rows as this instance last read them, so a search or an overview answers from memory instead of
/// reading the whole index partition each time. A snapshot younger than <see cref="Fresh"/> is used as it is; an older
/// one is used while a single background read brings it up to date; one older than <see cref="MaxAge"/> is brought up
/// to date first. Bringing it up to date reads only the rows storage wrote since the newest one already read (its
/// Timestamp, less <see cref="Overlap"/> for writes still in flight), so after the first read a lead who opens the
/// overview after a quiet hour waits for a few rows, not for the whole partition; every <see cref="FullReadEvery"/>
/// the whole partition is read again all the same. This instance's own index writes replace their row at once, so
/// what someone just saved is found; another instance's writes show within <see cref="Fresh"/> plus one read. Memory
/// is bounded: at most <see cref="MaxTenants"/> snapshots, the least recently used dropped first.
/// </summary>
public sealed class IndexSnapshots
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FullReadEvery = TimeSpan.FromMinutes(10);
    public const int MaxTenants = 200;

    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public IndexSnapshots(TimeProvider time) => _time = time;

    /// <summary>
    /// The rows, from memory when fresh enough; <paramref name="read"/> reads from storage the rows written since the
    /// moment it is given (by storage's Timestamp), or all of them when given null.
    /// </summary>
    public async Task<IReadOnlyList<IndexRow>> RowsAsync(string tenantId, Func<DateTimeOffset?, CancellationToken, Task<IReadOnlyList<IndexRow>>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = _time.GetUtcNow();
        var entry = _tenants.GetOrAdd(tenantId, _ => new Entry());
        entry.LastUsed = now;
        var snapshot = entry.Snapshot;
        if (snapshot is not null && now - snapshot.ReadAt < MaxAge)
        {
            if (now - snapshot.ReadAt >= Fresh)
            {
                _ = RefreshInBackgroundAsync(entry, read);
            }

            return [.. snapshot.Rows.Values];
        }

        var task = entry.StartRead(() => ReadAsync(entry, read, CancellationToken.None));
        var rows = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Trim();
        return [.. rows.Rows.Values];
    }

    /// <summary>Changes whenever the tenant's snapshot does (a read or a write), so figures computed from it can be kept until then.</summary>
    public long Version(string tenantId) => _tenants.TryGetValue(tenantId, out var entry) ? entry.Version : -1;

    /// <summary>A row this instance just wrote (or rebuilt): replaces its copy in the tenant's snapshot, if there is one.</summary>
    public void Written(string tenantId, IndexRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_tenants.TryGetValue(tenantId, out var entry))
        {
            entry.Replace(row);
        }
    }

    private async Task<Snapshot> ReadAsync(Entry entry, Func<DateTimeOffset?, CancellationToken, Task<IReadOnlyList<IndexRow>>> read, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var previous = entry.Snapshot;
        bool changesOnly = previous is { Newest: not null } && startedAt - previous.FullReadAt < FullReadEvery;
        var rows = await read(changesOnly ? previous!.Newest - Overlap : null, cancellationToken).ConfigureAwait(false);
        var readRows = rows.ToImmutableDictionary(r => r.Id, StringComparer.Ordinal);
        var newest = rows.Select(r => r.Timestamp).Append(changesOnly ? previous!.Newest : null).Max();
        var snapshot = changesOnly
            ? new Snapshot(previous!.Rows.SetItems(readRows), startedAt, previous.FullReadAt, newest)
            : new Snapshot(readRows, startedAt, startedAt, newest);
        entry.Install(snapshot);
        return entry.Snapshot ?? snapshot;
    }

    private async Task RefreshInBackgroundAsync(Entry entry, Func<DateTimeOffset?, CancellationToken, Task<IReadOnlyList<IndexRow>>> read)
    {
        try
        {
            await entry.StartRead(() => ReadAsync(entry, read, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The snapshot in hand stays in use; the next request tries again.
        }
    }

    private void Trim()
    {
        if (_tenants.Count <= MaxTenants)
        {
            return;
        }

        foreach (var (key, _) in _tenants.OrderBy(t => t.Value.LastUsed).Take(_tenants.Count - MaxTenants).ToList())
        {
            _tenants.TryRemove(key, out _);
        }
    }

    /// <param name="Newest">The latest storage Timestamp among the rows read, where the next read of changes starts.</param>
    private sealed record Snapshot(ImmutableDictionary<string, IndexRow> Rows, DateTimeOffset ReadAt, DateTimeOffset FullReadAt, DateTimeOffset? Newest);

    private sealed class Entry
    {
        private readonly Lock _lock = new();
        private Task<Snapshot>? _reading;

        // Rows written by this instance since the read in progress began, applied on top of what it returns.
        private ImmutableDictionary<string, IndexRow> _writtenDuringRead = ImmutableDictionary.Create<string, IndexRow>(StringComparer.Ordinal);

        public Snapshot? Snapshot { get; private set; }

        public DateTimeOffset LastUsed { get; set; }

        public long Version { get; private set; }

        /// <summary>One read at a time per tenant: everyone who needs it waits for the same one.</summary>
        public Task<Snapshot> StartRead(Func<Task<Snapshot>> read)
        {
            lock (_lock)
            {
                if (_reading is { IsCompleted: false } running)
                {
                    return running;
                }

                _writtenDuringRead = _writtenDuringRead.Clear();
                return _reading = read();
            }
        }

        public void Install(Snapshot snapshot)
        {
            lock (_lock)
            {
                var rows = snapshot.Rows.SetItems(_writtenDuringRead);
                if (Snapshot is null || !SameVersions(Snapshot.Rows, rows))
                {
                    Version++; // a re-read that found nothing new keeps the figures computed from the rows
                }

                Snapshot = snapshot with { Rows = rows };
            }
        }

        private static bool SameVersions(ImmutableDictionary<string, IndexRow> a, ImmutableDictionary<string, IndexRow> b) =>
            a.Count == b.Count && a.All(p => p.Value.ETag is not null && b.TryGetValue(p.Key, out var other) && other.ETag == p.Value.ETag);

        public void Replace(IndexRow row)
        {
            lock (_lock)
            {
                _writtenDuringRead = _writtenDuringRead.SetItem(row.Id, row);
                if (Snapshot is { } snapshot)
                {
                    Snapshot = snapshot with { Rows = snapshot.Rows.SetItem(row.Id, row) };
                }

                Version++;
            }
        }
    }
}
