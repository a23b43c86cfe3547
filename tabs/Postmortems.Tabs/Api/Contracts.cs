using System.Text.Json.Serialization;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;

namespace Postmortems.Tabs.Api;

// The shapes of tabs/API.md. User text goes out as plain JSON strings: the front end renders it as text, never as HTML.

public sealed record MeResponse(string TenantId, string UserId, string Name);

public sealed record PersonResponse(string Id, string Name)
{
    public static PersonResponse? From(Person? person) => person is null ? null : new(person.ObjectId, person.DisplayName);

    public static PersonResponse Required(Person person) => new(person.ObjectId, person.DisplayName);
}

/// <summary>The tab shows two states: still being worked on, or closed by the facilitator.</summary>
public enum PostmortemState
{
    Open,
    Closed,
}

public sealed record ActionResponse(
    string Id,
    string PostmortemId,
    string PostmortemTitle,
    string Title,
    RemediationCategory? Category,
    PersonResponse? Owner,
    DateOnly? DueDate,
    ActionStatus Status,
    bool Overdue,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    ActionPriority Priority,
    string? WorkItemLink,
    [property: JsonPropertyName("etag")] string? ETag)
{
    /// <summary>Overdue is judged against today in UTC, as tabs/API.md says.</summary>
    public static ActionResponse From(ActionItem action, string postmortemTitle, DateOnly todayUtc)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(
            action.Id,
            action.PostmortemId,
            postmortemTitle,
            action.Title,
            action.Category,
            PersonResponse.From(action.Owner),
            action.DueDate,
            action.Status,
            ActionItemRules.IsOverdue(action, todayUtc),
            action.CreatedAt,
            action.UpdatedAt,
            action.Priority,
            WorkItemLinks.IsSafe(action.WorkItemLink) ? action.WorkItemLink : null,
            action.ETag);
    }
}

public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);

/// <summary>One page of "my actions"; <c>continuationToken</c> is null on the last page.</summary>
public sealed record ActionsPageResponse(IReadOnlyList<ActionResponse> Items, string? ContinuationToken);

public sealed record PostmortemListItem(
    string Id,
    string Title,
    PostmortemState Status,
    Severity Severity,
    string? Summary,
    PersonResponse Facilitator,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Tags)
{
    public static PostmortemListItem From(Postmortem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Title, StateOf(p), p.Severity, p.Summary, PersonResponse.Required(p.Facilitator), p.CreatedAt, p.Services, p.Tags);
    }

    public static PostmortemState StateOf(Postmortem p) =>
        p.Status == PostmortemStatus.Closed ? PostmortemState.Closed : PostmortemState.Open;
}

public sealed record PostmortemListResponse(IReadOnlyList<PostmortemListItem> Items, string? Continuation);

public sealed record TimelineEntryResponse(
    string Id,
    DateTimeOffset OccurredAt,
    string TimeZone,
    string Actor,
    string Description,
    string? Outcome,
    string? Expectations,
    string? Assumptions,
    TimelineEntryKind Kind,
    string? SignalsAvailable,
    PersonResponse Author)
{
    public static TimelineEntryResponse From(TimelineEntry e) => new(
        e.Id, e.OccurredAt, e.TimeZone, e.Actor, e.Description, e.Outcome, e.Expectations, e.Assumptions, e.Kind, e.SignalsAvailable, PersonResponse.Required(e.Author));
}

public sealed record IdeaResponse(string Id, RemediationCategory Category, string Text, PersonResponse Author)
{
    public static IdeaResponse From(RemediationIdea i) => new(i.Id, i.Category, i.Text, PersonResponse.Required(i.Author));
}

public sealed record WhysResponse(string Id, string Problem, IReadOnlyList<string> Whys, PersonResponse Author)
{
    public static WhysResponse From(FiveWhys w) => new(w.Id, w.Problem, w.Whys, PersonResponse.Required(w.Author));
}

public sealed record TextItemResponse(string Id, string Text, PersonResponse Author);

public sealed record PostmortemResponse(
    string Id,
    string Title,
    string? Summary,
    string? CustomerImpact,
    Severity Severity,
    PostmortemState Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? MitigatedAt,
    string? ReportedBy,
    PersonResponse Facilitator,
    PersonResponse CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<TimelineEntryResponse> Timeline,
    IReadOnlyList<IdeaResponse> Ideas,
    IReadOnlyList<ActionResponse> Actions,
    IReadOnlyList<WhysResponse> Whys,
    IReadOnlyList<FactorResponse> ContributingFactors,
    IReadOnlyList<TextItemResponse> Takeaways,
    LifecycleResponse Lifecycle,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Tags,
    [property: JsonPropertyName("etag")] string? ETag)
{
    /// <summary>What went well, each with its author.</summary>
    public IReadOnlyList<TextItemResponse> WentWell { get; init; } = [];

    /// <summary>Where we got lucky, each with its author.</summary>
    public IReadOnlyList<TextItemResponse> Lucky { get; init; } = [];

    /// <summary>The gaps in the analysis (<see cref="Core.Analysis.WhatIsMissing"/>).</summary>
    public IReadOnlyList<MissingResponse> Missing { get; init; } = [];

    public static PostmortemResponse From(PostmortemDocument document, DateOnly todayUtc)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        return new(
            p.Id,
            p.Title,
            p.Summary,
            p.CustomerImpact,
            p.Severity,
            PostmortemListItem.StateOf(p),
            p.StartedAt,
            p.DetectedAt,
            p.MitigatedAt,
            p.ReportedBy,
            PersonResponse.Required(p.Facilitator),
            PersonResponse.Required(p.CreatedBy),
            p.CreatedAt,
            [.. document.Timeline.Select(TimelineEntryResponse.From)],
            [.. document.Ideas.Select(IdeaResponse.From)],
            [.. document.Actions.Select(a => ActionResponse.From(a, p.Title, todayUtc))],
            [.. document.Whys.Select(WhysResponse.From)],
            [.. document.ContributingFactors.Select(f => FactorResponse.From(f, document))],
            [.. document.Takeaways.Select(t => new TextItemResponse(t.Id, t.Text, PersonResponse.Required(t.Author)))],
            LifecycleResponse.From(p),
            p.Services,
            p.Tags,
            p.ETag)
        {
            WentWell = [.. document.WentWell.Select(w => new TextItemResponse(w.Id, w.Text, PersonResponse.Required(w.Author)))],
            Lucky = [.. document.Lucky.Select(l => new TextItemResponse(l.Id, l.Text, PersonResponse.Required(l.Author)))],
            Missing = MissingResponse.From(document),
        };
    }
}

/// <summary>Where the postmortem is in its life (draft, meetingScheduled, inReview, published, closed) and who holds its roles.</summary>
public sealed record LifecycleResponse(
    PostmortemStatus Stage,
    PersonResponse? Scribe,
    PersonResponse? IncidentCommander,
    DateTimeOffset? MeetingStartsAt,
    DateTimeOffset? PublishedAt,
    PersonResponse? PublishedBy)
{
    public static LifecycleResponse From(Postmortem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        bool published = p.Status.IsFinished() && p.PublishedAt is not null;
        return new(p.Status, PersonResponse.From(p.Scribe), PersonResponse.From(p.IncidentCommander), p.MeetingStartsAt,
            published ? p.PublishedAt : null, published ? PersonResponse.From(p.PublishedBy) : null);
    }
}
