using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Search;

/// <summary>One team member's actions in one postmortem: how many, how many done, and the due dates of the open ones.</summary>
public sealed record MemberActions(string Id, string Name, int Total, int Done, IReadOnlyList<DateOnly> OpenDue);

/// <summary>A contributing factor as "seen before" compares it: its words, its category when it has one, and a short text to show.</summary>
public sealed record IndexedFactor(string Text, string? Category, IReadOnlyList<string> Words);

/// <summary>
/// What the search, the overview and "seen before" know of one postmortem: its row of the PostmortemIndex table. Built
/// only by <see cref="Build"/> from the whole postmortem, so every field is always derived from the stored truth.
/// </summary>
public sealed record IndexRow
{
    /// <summary>Most characters of words kept per postmortem (far below the 64 KiB a string property may hold).</summary>
    public const int MaxWordsLength = 16_000;

    public const int MaxFactors = 40;

    /// <summary>
    /// The version of what a row holds, stored with it. Raise it when <see cref="Build"/> derives something new: the
    /// backfill (<see cref="IndexBackfill"/>) then rebuilds every row of an older version (rows without one are 0).
    /// </summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Summary { get; init; }

    public PostmortemStatus Status { get; init; }

    public Severity Severity { get; init; }

    /// <summary>When the incident started, else when the postmortem was created: what periods and "newest" go by.</summary>
    public DateTimeOffset Date { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? MeetingStartsAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public required Person Facilitator { get; init; }

    public IReadOnlyList<string> Services { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The distinct words of the title, summary, contributing factors and takeaways, space-separated.</summary>
    public string Words { get; init; } = string.Empty;

    /// <summary>The earliest due date of an open or in-progress action: overdue when it is before today.</summary>
    public DateOnly? EarliestOpenDue { get; init; }

    public IReadOnlyList<MemberActions> Members { get; init; } = [];

    public IReadOnlyDictionary<RemediationCategory, int> IdeasByKind { get; init; } = new Dictionary<RemediationCategory, int>();

    public IReadOnlyDictionary<RemediationCategory, int> ActionsByKind { get; init; } = new Dictionary<RemediationCategory, int>();

    public IReadOnlyList<IndexedFactor> Factors { get; init; } = [];

    public string? ETag { get; init; }

    /// <summary>When storage last wrote the row (its system Timestamp), for rows read from storage; null for rows built here.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public bool HasOverdueActions(DateOnly today) => EarliestOpenDue < today;

    /// <summary>The row for a whole postmortem.</summary>
    public static IndexRow Build(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int length = 0;
        foreach (string? text in new[] { p.Title, p.Summary }.Concat(document.ContributingFactors.Select(f => f.Text)).Concat(document.Takeaways.Select(t => t.Text)))
        {
            foreach (string word in SearchTerms.Of(text))
            {
                if (length + word.Length + 1 <= MaxWordsLength && seen.Add(word))
                {
                    words.Add(word);
                    length += word.Length + 1;
                }
            }
        }

        var open = document.Actions.Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress).ToList();
        return new IndexRow
        {
            Id = p.Id,
            Title = p.Title,
            Summary = p.Summary is { Length: > 280 } s ? s[..280].TrimEnd() + "…" : p.Summary,
            Status = p.Status,
            Severity = p.Severity,
            Date = p.StartedAt ?? p.CreatedAt,
            StartedAt = p.StartedAt,
            DetectedAt = p.DetectedAt,
            MitigatedAt = p.MitigatedAt,
            MeetingStartsAt = p.MeetingStartsAt,
            PublishedAt = p.Status.IsFinished() ? p.PublishedAt : null,
            Facilitator = p.Facilitator,
            Services = p.Services,
            Tags = p.Tags,
            Words = string.Join(' ', words),
            EarliestOpenDue = open.Where(a => a.DueDate is not null).Select(a => a.DueDate).Min(),
            Members = [.. document.Actions.Where(a => a.Owner is not null).GroupBy(a => a.Owner!.ObjectId, StringComparer.Ordinal).Select(g => new MemberActions(
                g.Key,
                g.Last().Owner!.DisplayName,
                g.Count(a => a.Status != ActionStatus.WontDo),
                g.Count(a => a.Status == ActionStatus.Done),
                [.. g.Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress && a.DueDate is not null).Select(a => a.DueDate!.Value)]))],
            IdeasByKind = document.Ideas.GroupBy(i => i.Category).ToDictionary(g => g.Key, g => g.Count()),
            ActionsByKind = document.Actions.Where(a => a.Category is not null).GroupBy(a => a.Category!.Value).ToDictionary(g => g.Key, g => g.Count()),
            Factors = [.. document.ContributingFactors.Take(MaxFactors).Select(f => new IndexedFactor(
                f.Text.Length > 200 ? f.Text[..200].TrimEnd() + "…" : f.Text,
                FactorCategoryOf(f),
                [.. SearchTerms.Of(f.Text).Take(40)]))],
        };
    }

    /// <summary>The factor's category as people read it ("Detection and monitoring"), or null when it has none yet.</summary>
    private static string? FactorCategoryOf(Discussion.ContributingFactor factor) =>
        factor.Category is { } category ? Analysis.FactorCategories.All.FirstOrDefault(c => c.Category == category).Title : null;

    public TableEntity ToEntity(string tenantId)
    {
        var entity = new TableEntity(PartitionKeys.ForTenant(tenantId), Id)
        {
            [nameof(Title)] = Title,
            [nameof(Summary)] = Summary,
            [nameof(Status)] = Status.ToString(),
            [nameof(Severity)] = Severity.ToString(),
            [nameof(Date)] = Date,
            [nameof(StartedAt)] = StartedAt,
            [nameof(DetectedAt)] = DetectedAt,
            [nameof(MitigatedAt)] = MitigatedAt,
            [nameof(MeetingStartsAt)] = MeetingStartsAt,
            [nameof(PublishedAt)] = PublishedAt,
            [nameof(Services)] = Labels.ToStored(Services),
            [nameof(Tags)] = Labels.ToStored(Tags),
            [nameof(Words)] = Words,
            [nameof(EarliestOpenDue)] = EarliestOpenDue.ToStored(),
            [nameof(Members)] = JsonSerializer.Serialize(Members, Json),
            [nameof(IdeasByKind)] = JsonSerializer.Serialize(IdeasByKind, Json),
            [nameof(ActionsByKind)] = JsonSerializer.Serialize(ActionsByKind, Json),
            [nameof(Factors)] = JsonSerializer.Serialize(Factors, Json),
            [nameof(SchemaVersion)] = SchemaVersion,
        };
        entity.SetPerson(nameof(Facilitator), Facilitator);
        return entity;
    }

    /// <summary>A row as read; a query may have selected only some columns, and the rest read as empty.</summary>
    public static IndexRow FromEntity(TableEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new IndexRow
        {
            Id = e.RowKey,
            Title = e.GetString(nameof(Title)) ?? string.Empty,
            Summary = e.GetString(nameof(Summary)),
            Status = PostmortemStatuses.Parse(e.GetString(nameof(Status))),
            Severity = e.GetEnum(nameof(Severity), Severity.NotSet),
            Date = e.GetInstant(nameof(Date)) ?? DateTimeOffset.MinValue,
            StartedAt = e.GetInstant(nameof(StartedAt)),
            DetectedAt = e.GetInstant(nameof(DetectedAt)),
            MitigatedAt = e.GetInstant(nameof(MitigatedAt)),
            MeetingStartsAt = e.GetInstant(nameof(MeetingStartsAt)),
            PublishedAt = e.GetInstant(nameof(PublishedAt)),
            Facilitator = e.GetPerson(nameof(Facilitator)) ?? new Person(string.Empty, string.Empty),
            Services = Labels.FromStored(e.GetString(nameof(Services))),
            Tags = Labels.FromStored(e.GetString(nameof(Tags))),
            Words = e.GetString(nameof(Words)) ?? string.Empty,
            EarliestOpenDue = e.GetDateOnly(nameof(EarliestOpenDue)),
            Members = Read<List<MemberActions>>(e, nameof(Members)) ?? [],
            IdeasByKind = Read<Dictionary<RemediationCategory, int>>(e, nameof(IdeasByKind)) ?? [],
            ActionsByKind = Read<Dictionary<RemediationCategory, int>>(e, nameof(ActionsByKind)) ?? [],
            Factors = Read<List<IndexedFactor>>(e, nameof(Factors)) ?? [],
            ETag = e.ETag.ToString(),
            Timestamp = e.Timestamp,
        };
    }

    private static T? Read<T>(TableEntity e, string name)
        where T : class
    {
        string? json = e.GetString(name);
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The month of <see cref="Date"/> as "yyyy-MM" (UTC).</summary>
    public string Month => Date.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
