using Microsoft.Extensions.Caching.Memory;
using Postmortems.Core.Search;

namespace Postmortems.Core.Overview;

/// <summary>The overview and "seen before", read from the PostmortemIndex (<see cref="PostmortemIndex"/>).</summary>
public sealed class PracticeOverview(PostmortemIndex index, TimeProvider time) : IDisposable
{
    // Figures already worked out, each with the snapshot version it came from: reused until the rows change.
    private readonly MemoryCache _figures = new(new MemoryCacheOptions { SizeLimit = 1_000 });

    public void Dispose() => _figures.Dispose();

    public const int MaxSeenBefore = 5;

    /// <summary>The figures for incidents dated from <paramref name="from"/> to <paramref name="to"/> (UTC days, both included).</summary>
    public async Task<OverviewFigures> FiguresAsync(string tenantId, DateOnly from, DateOnly to, string? label, CancellationToken cancellationToken)
    {
        long version = index.Version(tenantId); // read before the rows: a write meanwhile makes this entry stale, never wrong
        var rows = await index.RowsAsync(
            tenantId,
            new IndexFilter(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            cancellationToken).ConfigureAwait(false);
        string? normalized = string.IsNullOrWhiteSpace(label) ? null : Labels.Normalize(label);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        string key = string.Join('\n', tenantId, from.DayNumber, to.DayNumber, normalized, today.DayNumber);
        if (_figures.TryGetValue(key, out (long Version, OverviewFigures Figures) known) && known.Version == version)
        {
            return known.Figures;
        }

        var chosen = normalized is null ? rows : [.. rows.Where(r => r.Tags.Contains(normalized, StringComparer.Ordinal) || r.Services.Contains(normalized, StringComparer.Ordinal))];
        var figures = OverviewCalculator.Calculate(chosen, from, to, normalized, today);
        _figures.Set(key, (version, figures), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return figures;
    }

    /// <summary>Earlier postmortems that match this one by <see cref="FactorMatching"/>, newest first, each with why.</summary>
    public async Task<IReadOnlyList<SeenBefore>> SeenBeforeAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        var row = await index.GetAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
        if (row is null || (row.Factors.Count == 0 && row.Services.Count + row.Tags.Count == 0))
        {
            return [];
        }

        var earlier = await index.RowsAsync(tenantId, new IndexFilter(To: row.Date.AddTicks(1)), cancellationToken).ConfigureAwait(false);
        return [.. earlier
            .Where(other => other.Id != row.Id)
            .OrderByDescending(other => other.Date)
            .Select(other => (Other: other, Reason: FactorMatching.Match(row, other)))
            .Where(m => m.Reason is not null)
            .Take(MaxSeenBefore)
            .Select(m => new SeenBefore(m.Other.Id, m.Other.Title, m.Other.Date, m.Reason!))];
    }
}

/// <summary>An earlier postmortem whose conditions resemble this one's, and the reason in words.</summary>
public sealed record SeenBefore(string PostmortemId, string Title, DateTimeOffset Date, string Reason);
