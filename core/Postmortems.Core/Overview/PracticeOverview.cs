using Postmortems.Core.Search;

namespace Postmortems.Core.Overview;

/// <summary>The overview and "seen before", read from the PostmortemIndex (<see cref="PostmortemIndex"/>).</summary>
public sealed class PracticeOverview(PostmortemIndex index, TimeProvider time)
{
    public const int MaxSeenBefore = 5;

    /// <summary>The figures for incidents dated from <paramref name="from"/> to <paramref name="to"/> (UTC days, both included).</summary>
    public async Task<OverviewFigures> FiguresAsync(string tenantId, DateOnly from, DateOnly to, string? label, CancellationToken cancellationToken)
    {
        var rows = await index.RowsAsync(
            tenantId,
            new IndexFilter(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            cancellationToken).ConfigureAwait(false);
        string? normalized = string.IsNullOrWhiteSpace(label) ? null : Labels.Normalize(label);
        var chosen = normalized is null ? rows : [.. rows.Where(r => r.Tags.Contains(normalized, StringComparer.Ordinal) || r.Services.Contains(normalized, StringComparer.Ordinal))];
        return OverviewCalculator.Calculate(chosen, from, to, normalized, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
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
