using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;

namespace Postmortems.Tabs.Api;

// The shapes of the search, labels and "seen before" routes (tabs/API.md). User text goes out as plain JSON strings.

public sealed record SearchResultItem(
    string Id,
    string Title,
    PostmortemState Status,
    PostmortemStatus Stage,
    Severity Severity,
    string? Summary,
    PersonResponse Facilitator,
    DateTimeOffset Date,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Tags,
    bool HasOverdueActions)
{
    public static SearchResultItem From(IndexRow row, DateOnly todayUtc)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.Id,
            row.Title,
            row.Status == PostmortemStatus.Closed ? PostmortemState.Closed : PostmortemState.Open,
            row.Status,
            row.Severity,
            row.Summary,
            new PersonResponse(row.Facilitator.ObjectId, row.Facilitator.DisplayName),
            row.Date,
            row.Services,
            row.Tags,
            row.HasOverdueActions(todayUtc));
    }
}

public sealed record SearchResponse(IReadOnlyList<SearchResultItem> Items, int Total, string? Continuation);

public sealed record LabelsResponse(IReadOnlyList<string> Services, IReadOnlyList<string> Tags);

public sealed record PostmortemLabelsResponse(IReadOnlyList<string> Services, IReadOnlyList<string> Tags, string? Etag);
