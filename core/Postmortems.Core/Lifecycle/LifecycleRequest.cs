using Postmortems.Core.Common;

namespace Postmortems.Core.Lifecycle;

/// <summary>
/// A request to move a postmortem. <paramref name="By"/> is who asks (null: an event, which no role is needed for).
/// <paramref name="Reason"/> is required to reopen, and to publish with items of the checklist unmet.
/// <paramref name="UnmetChecks"/> is how many checks of <see cref="PublishChecklist"/> are unmet, for a publish.
/// <paramref name="MeetingStart"/> is the meeting's start, for an invite sent.
/// </summary>
public sealed record LifecycleRequest(
    LifecycleStep Step,
    Person? By,
    DateTimeOffset At,
    string? Reason = null,
    int UnmetChecks = 0,
    DateTimeOffset? MeetingStart = null);

/// <summary>The postmortem after the move, or the reason it cannot move, in words for the person who asked.</summary>
public sealed record LifecycleOutcome(Postmortems.Postmortem? Moved, string? Refusal)
{
    public static LifecycleOutcome Refused(string reason) => new(null, reason);
}
