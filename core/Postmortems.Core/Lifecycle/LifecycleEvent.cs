using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Lifecycle;

public enum LifecycleEventKind
{
    StatusChanged = 0,
    FacilitatorHandedOver = 1,
    ScribeChanged = 2,
    IncidentCommanderChanged = 3,
}

/// <summary>
/// One recorded moment of a postmortem's life: a status change (with the reason, when one was needed), or a role that
/// changed hands. <see cref="By"/> is null when an event did it (the invite went out, the meeting started, the last
/// action was finished).
/// </summary>
public sealed record LifecycleEvent(
    LifecycleEventKind Kind,
    DateTimeOffset At,
    Person? By,
    PostmortemStatus? Status = null,
    Person? Person = null,
    string? Reason = null)
{
    /// <summary>How many events a postmortem keeps: enough for any real life, bounded so the row stays small.</summary>
    public const int Kept = 100;
}
