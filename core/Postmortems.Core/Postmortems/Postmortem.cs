using Postmortems.Core.Common;
using Postmortems.Core.Lifecycle;

namespace Postmortems.Core.Postmortems;

/// <summary>The postmortem of one incident: its summary section and where it is run.</summary>
public sealed record Postmortem
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>One or two sentences: what is known so far.</summary>
    public string? Summary { get; init; }

    public string? CustomerImpact { get; init; }

    public Severity Severity { get; init; } = Severity.NotSet;

    public PostmortemStatus Status { get; init; } = PostmortemStatus.Draft;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    /// <summary>Who or what reported the incident: a customer, support, an alert.</summary>
    public string? ReportedBy { get; init; }

    /// <summary>Runs the postmortem: schedules, publishes, reopens, and may hand the role to someone else.</summary>
    public required Person Facilitator { get; init; }

    /// <summary>Services or components the incident touched, normalised by <see cref="Search.Labels"/>.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Free tags, normalised by <see cref="Search.Labels"/>; with <see cref="Services"/>, what search and "seen before" group by.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Optional: takes notes and may do what the facilitator does, except hand over, publish and reopen.</summary>
    public Person? Scribe { get; init; }

    /// <summary>Optional and informational: who led the response to the incident.</summary>
    public Person? IncidentCommander { get; init; }

    /// <summary>When the postmortem meeting starts, once its invite is out: the review begins then.</summary>
    public DateTimeOffset? MeetingStartsAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public Person? PublishedBy { get; init; }

    /// <summary>Every status change, handover and reason, oldest first (the latest <see cref="LifecycleEvent.Kept"/>).</summary>
    public IReadOnlyList<LifecycleEvent> History { get; init; } = [];

    /// <summary>The Teams conversation (chat or channel) the postmortem is run in, if any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The thread the bot posted in the incident's own channel, once there is one: publishing posts there too.</summary>
    public string? IncidentChannelConversationId { get; init; }

    public required Person CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The stored version this copy was read at; sent back as If-Match on update. Null before the first save.</summary>
    public string? ETag { get; init; }
}
