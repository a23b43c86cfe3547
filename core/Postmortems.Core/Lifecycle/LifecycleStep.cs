namespace Postmortems.Core.Lifecycle;

/// <summary>What can move a postmortem from one status to another: events, and the facilitator's decisions.</summary>
public enum LifecycleStep
{
    /// <summary>The postmortem meeting's invite was sent (an event).</summary>
    InviteSent,

    /// <summary>The postmortem meeting was called off (the facilitator or the scribe).</summary>
    MeetingCancelled,

    /// <summary>The meeting's start time has come (an event).</summary>
    MeetingStarted,

    /// <summary>The facilitator (or scribe) starts the review without waiting for the meeting.</summary>
    StartReview,

    /// <summary>The facilitator shares the reviewed postmortem.</summary>
    Publish,

    /// <summary>The last open action was finished (an event).</summary>
    AllActionsFinished,

    /// <summary>The facilitator (or scribe) closes it.</summary>
    Close,

    /// <summary>The facilitator reopens a published or closed postmortem, with a reason.</summary>
    Reopen,
}
