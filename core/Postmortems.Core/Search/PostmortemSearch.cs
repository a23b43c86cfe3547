using System.Globalization;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Search;

public enum SearchSort
{
    Newest,
    Oldest,
    Severity,
    Title,
}

/// <summary>
/// A search of one tenant's postmortems. <see cref="Text"/> matches words of the title, summary, contributing factors
/// and takeaways (each word of the search must start a word there: "config" finds "configuration"); the filters narrow;
/// <see cref="After"/> continues after the last result of a previous page.
/// </summary>
public sealed record SearchRequest
{
    public string? Text { get; init; }

    /// <summary>Null: any. Several: any of them.</summary>
    public IReadOnlyList<PostmortemStatus>? Statuses { get; init; }

    public Severity? Severity { get; init; }

    /// <summary>A tag or a service (normalised by <see cref="Labels.Normalize"/>).</summary>
    public string? Label { get; init; }

    /// <summary>Incidents that started (or, without a start, were opened) on or after this day (UTC).</summary>
    public DateOnly? From { get; init; }

    /// <summary>… and on or before this day (UTC).</summary>
    public DateOnly? To { get; init; }

    public bool OnlyWithOverdueActions { get; init; }

    public SearchSort Sort { get; init; } = SearchSort.Newest;

    public int PageSize { get; init; } = 20;

    public SearchPosition? After { get; init; }
}

/// <summary>Where a page ended: the sort key and id of its last result. Opaque to callers; the tab signs it.</summary>
public sealed record SearchPosition(string SortKey, string Id);

public sealed record SearchPage(IReadOnlyList<IndexRow> Items, SearchPosition? Next, int Total);

/// <summary>
/// Searches the PostmortemIndex (<see cref="PostmortemIndex"/>): one query of the tenant's partition that reads only
/// the columns a result card needs, narrowed in storage by date, status and severity; words, label and overdue actions
/// are judged on those rows in one linear pass. Results are sorted with the id as tie-break, so a page continues
/// exactly after the last result of the previous one, even when postmortems were added meanwhile.
/// </summary>
public sealed class PostmortemSearch(PostmortemIndex index, TimeProvider time)
{
    public async Task<SearchPage> SearchAsync(string tenantId, SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = new IndexFilter(
            request.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            request.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            request.Statuses,
            request.Severity);
        var rows = await index.RowsAsync(tenantId, filter, cancellationToken).ConfigureAwait(false);
        var terms = SearchTerms.Of(request.Text);
        string? label = string.IsNullOrWhiteSpace(request.Label) ? null : Labels.Normalize(request.Label);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

        var matches = rows
            .Where(r => terms.All(t => (" " + r.Words).Contains(" " + t, StringComparison.Ordinal)))
            .Where(r => label is null || r.Tags.Contains(label, StringComparer.Ordinal) || r.Services.Contains(label, StringComparer.Ordinal))
            .Where(r => !request.OnlyWithOverdueActions || r.HasOverdueActions(today))
            .Select(r => (Key: SortKey(r, request.Sort), Row: r))
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .ThenBy(m => m.Row.Id, StringComparer.Ordinal)
            .ToList();

        var after = request.After;
        var rest = after is null
            ? matches
            : matches.Where(m => Compare(m.Key, m.Row.Id, after) > 0).ToList();
        var page = rest.Take(request.PageSize).ToList();
        var next = rest.Count > page.Count ? new SearchPosition(page[^1].Key, page[^1].Row.Id) : null;
        return new SearchPage([.. page.Select(m => m.Row)], next, matches.Count);
    }

    private static int Compare(string key, string id, SearchPosition position)
    {
        int byKey = string.CompareOrdinal(key, position.SortKey);
        return byKey != 0 ? byKey : string.CompareOrdinal(id, position.Id);
    }

    /// <summary>A string that sorts in the wanted order (ordinal), so a position is one string whatever the sort.</summary>
    public static string SortKey(IndexRow row, SearchSort sort)
    {
        ArgumentNullException.ThrowIfNull(row);
        long ticks = row.Date.UtcTicks;
        string newest = (DateTimeOffset.MaxValue.UtcTicks - ticks).ToString("D19", CultureInfo.InvariantCulture);
        return sort switch
        {
            SearchSort.Oldest => ticks.ToString("D19", CultureInfo.InvariantCulture),
            SearchSort.Severity => (row.Severity == Severity.NotSet ? 9 : (int)row.Severity).ToString(CultureInfo.InvariantCulture) + newest,
            SearchSort.Title => row.Title.ToUpperInvariant() + "\u0000" + newest,
            _ => newest,
        };
    }

    /// <summary>Every service and tag the tenant's postmortems use, most used first: what the summary card and the tab suggest.</summary>
    public async Task<(IReadOnlyList<string> Services, IReadOnlyList<string> Tags)> LabelsInUseAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rows = await index.RowsAsync(tenantId, new IndexFilter(), cancellationToken).ConfigureAwait(false);
        static IReadOnlyList<string> Ranked(IEnumerable<string> labels) =>
            [.. labels.GroupBy(l => l, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).Take(50)];
        return (Ranked(rows.SelectMany(r => r.Services)), Ranked(rows.SelectMany(r => r.Tags)));
    }
}
