using Postmortems.Core.Common;

namespace Postmortems.Core.Timeline;

/// <summary>
/// One action or event of the incident, with what was expected and assumed at the time, so the discussion
/// can separate what was known then from hindsight.
/// </summary>
public sealed record TimelineEntry : PostmortemItem
{
    /// <summary>The instant it happened. The offset is the one it had in <see cref="TimeZone"/>.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The time zone the time was given in (an IANA or Windows id, as Teams sends either).</summary>
    public required string TimeZone { get; init; }

    /// <summary>A person, a team or a system.</summary>
    public required string Actor { get; init; }

    /// <summary>The action taken or the event observed.</summary>
    public required string Description { get; init; }

    public string? Outcome { get; init; }

    public string? Expectations { get; init; }

    public string? Assumptions { get; init; }

    public TimelineEntryKind Kind { get; init; } = TimelineEntryKind.Action;

    /// <summary>Signals that were available at the time, whether or not anyone saw them.</summary>
    public string? SignalsAvailable { get; init; }

    /// <summary>The Teams message this entry was made from (the message action or the channel import), so it is added once.</summary>
    public string? SourceMessageId { get; init; }

    /// <summary>A link back to that message in Teams.</summary>
    public Uri? SourceLink { get; init; }
}
