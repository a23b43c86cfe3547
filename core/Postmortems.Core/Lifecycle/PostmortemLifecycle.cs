using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Lifecycle;

/// <summary>
/// The life of a postmortem as a small state machine:
/// draft → meeting scheduled (invite sent; back to draft if it is called off) → in review (the meeting starts, or the
/// facilitator starts it) → published (the facilitator) → closed (every action finished, or the facilitator); a
/// published or closed postmortem can be reopened by the facilitator with a reason. Every move is recorded in
/// <see cref="Postmortem.History"/>. Pure: the caller reads, applies, and writes with the version it read.
/// </summary>
public static class PostmortemLifecycle
{
    public const int ReasonLimit = 500;

    /// <summary>Applies a step, or says why it cannot apply, in words for the person who asked.</summary>
    public static LifecycleOutcome Apply(Postmortem postmortem, LifecycleRequest request)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(request);
        if (RoleRefusal(postmortem, request.Step, request.By) is { } roleRefusal)
        {
            return LifecycleOutcome.Refused(roleRefusal);
        }

        string? reason = Reason(request.Reason);
        if (reason is { Length: > ReasonLimit })
        {
            return LifecycleOutcome.Refused($"Please keep the reason under {ReasonLimit} characters.");
        }

        var status = postmortem.Status;
        return request.Step switch
        {
            LifecycleStep.InviteSent => status switch
            {
                PostmortemStatus.Draft or PostmortemStatus.MeetingScheduled => Move(postmortem with { MeetingStartsAt = request.MeetingStart ?? postmortem.MeetingStartsAt }, PostmortemStatus.MeetingScheduled, request, null),
                PostmortemStatus.InReview => LifecycleOutcome.Refused("The review has already started, so the status stays in review."),
                _ => LifecycleOutcome.Refused(FinishedText(status)),
            },
            LifecycleStep.MeetingCancelled => status == PostmortemStatus.MeetingScheduled
                ? Move(postmortem with { MeetingStartsAt = null }, PostmortemStatus.Draft, request, reason)
                : LifecycleOutcome.Refused("No postmortem meeting is scheduled, so there is nothing to call off."),
            LifecycleStep.MeetingStarted => status != PostmortemStatus.MeetingScheduled
                ? LifecycleOutcome.Refused("Only a scheduled meeting starts the review.")
                : postmortem.MeetingStartsAt is not { } start || request.At < start
                    ? LifecycleOutcome.Refused("The meeting has not started yet.")
                    : Move(postmortem, PostmortemStatus.InReview, request, null),
            LifecycleStep.StartReview => status switch
            {
                PostmortemStatus.Draft or PostmortemStatus.MeetingScheduled => Move(postmortem, PostmortemStatus.InReview, request, null),
                PostmortemStatus.InReview => LifecycleOutcome.Refused("The review has already started."),
                _ => LifecycleOutcome.Refused(FinishedText(status)),
            },
            LifecycleStep.Publish => Publish(postmortem, request, reason),
            LifecycleStep.AllActionsFinished => status == PostmortemStatus.Published
                ? Move(postmortem, PostmortemStatus.Closed, request, null)
                : LifecycleOutcome.Refused("Only a published postmortem closes by itself when its actions are finished."),
            LifecycleStep.Close => status == PostmortemStatus.Closed
                ? LifecycleOutcome.Refused("This postmortem is already closed.")
                : Move(postmortem, PostmortemStatus.Closed, request, reason),
            LifecycleStep.Reopen => Reopen(postmortem, request, reason),
            _ => LifecycleOutcome.Refused("That step is not one we know."),
        };
    }

    /// <summary>
    /// The postmortem with the events that are due by <paramref name="now"/> applied: a scheduled meeting whose start
    /// has come puts it in review. Unchanged (the same instance) when nothing is due.
    /// </summary>
    public static Postmortem CatchUp(Postmortem postmortem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        return postmortem.Status == PostmortemStatus.MeetingScheduled && postmortem.MeetingStartsAt is { } start && now >= start
            ? Apply(postmortem, new LifecycleRequest(LifecycleStep.MeetingStarted, By: null, start)).Moved ?? postmortem
            : postmortem;
    }

    /// <summary>The facilitator hands the role to someone else in the conversation. The new facilitator stops being the scribe, if they were.</summary>
    public static LifecycleOutcome HandOver(Postmortem postmortem, Person by, Person? to, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(by);
        if (by.ObjectId != postmortem.Facilitator.ObjectId)
        {
            return LifecycleOutcome.Refused("Only the facilitator can hand the role over.");
        }

        if (to is null || string.IsNullOrWhiteSpace(to.ObjectId))
        {
            return LifecycleOutcome.Refused("Please pick who will facilitate.");
        }

        if (to.ObjectId == postmortem.Facilitator.ObjectId)
        {
            return LifecycleOutcome.Refused("They already facilitate this postmortem.");
        }

        var moved = postmortem with
        {
            Facilitator = to,
            Scribe = postmortem.Scribe?.ObjectId == to.ObjectId ? null : postmortem.Scribe,
        };
        return new LifecycleOutcome(Record(moved, new LifecycleEvent(LifecycleEventKind.FacilitatorHandedOver, at, by, Person: to)), null);
    }

    /// <summary>The facilitator or the scribe names the scribe (null: nobody).</summary>
    public static LifecycleOutcome SetScribe(Postmortem postmortem, Person by, Person? to, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (postmortem.Scribe?.ObjectId == to?.ObjectId)
        {
            return new LifecycleOutcome(postmortem, null);
        }

        if (!IsFacilitatorOrScribe(postmortem, by))
        {
            return LifecycleOutcome.Refused("Only the facilitator or the scribe can change the scribe.");
        }

        if (to?.ObjectId == postmortem.Facilitator.ObjectId)
        {
            return LifecycleOutcome.Refused("The facilitator can't also be the scribe. Please pick someone else, or nobody.");
        }

        return new LifecycleOutcome(Record(postmortem with { Scribe = to }, new LifecycleEvent(LifecycleEventKind.ScribeChanged, at, by, Person: to)), null);
    }

    /// <summary>The facilitator or the scribe names the incident commander (null: nobody). Informational only.</summary>
    public static LifecycleOutcome SetIncidentCommander(Postmortem postmortem, Person by, Person? to, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (postmortem.IncidentCommander?.ObjectId == to?.ObjectId)
        {
            return new LifecycleOutcome(postmortem, null);
        }

        if (!IsFacilitatorOrScribe(postmortem, by))
        {
            return LifecycleOutcome.Refused("Only the facilitator or the scribe can change the incident commander.");
        }

        return new LifecycleOutcome(Record(postmortem with { IncidentCommander = to }, new LifecycleEvent(LifecycleEventKind.IncidentCommanderChanged, at, by, Person: to)), null);
    }

    /// <summary>Null while the analysis can change; for a published or closed postmortem, why it can't and what still works.</summary>
    public static string? AnalysisFrozenReason(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        return postmortem.Status.IsFinished()
            ? $"This postmortem is {Describe(postmortem.Status)}, so its analysis is read-only: the summary, timeline, factors, whys, ideas and takeaways stay as they were shared. Action updates still work (type actions). The facilitator can reopen it with a reason: reopen followed by why."
            : null;
    }

    /// <summary>May this person do what the facilitator does, other than hand over, publish and reopen?</summary>
    public static bool IsFacilitatorOrScribe(Postmortem postmortem, Person? who)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        return who is not null && (who.ObjectId == postmortem.Facilitator.ObjectId || who.ObjectId == postmortem.Scribe?.ObjectId);
    }

    /// <summary>Who may ask for a step: null means the asker may.</summary>
    public static string? RoleRefusal(Postmortem postmortem, LifecycleStep step, Person? by)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        return step switch
        {
            LifecycleStep.InviteSent or LifecycleStep.MeetingStarted or LifecycleStep.AllActionsFinished => null,
            LifecycleStep.Publish or LifecycleStep.Reopen when by?.ObjectId != postmortem.Facilitator.ObjectId =>
                $"Only the facilitator can {(step == LifecycleStep.Publish ? "publish" : "reopen")} this postmortem.",

            // A cancelled meeting may also be an event (by: null); people need a role.
            LifecycleStep.MeetingCancelled when by is null => null,
            LifecycleStep.MeetingCancelled or LifecycleStep.StartReview or LifecycleStep.Close when !IsFacilitatorOrScribe(postmortem, by) =>
                $"Only the facilitator or the scribe can {StepText(step)}.",
            _ => null,
        };
    }

    public static string Describe(PostmortemStatus status) => status switch
    {
        PostmortemStatus.Draft => "draft",
        PostmortemStatus.MeetingScheduled => "meeting scheduled",
        PostmortemStatus.InReview => "in review",
        PostmortemStatus.Published => "published",
        PostmortemStatus.Closed => "closed",
        _ => status.ToString(),
    };

    private static LifecycleOutcome Publish(Postmortem postmortem, LifecycleRequest request, string? reason) => postmortem.Status switch
    {
        PostmortemStatus.Draft => LifecycleOutcome.Refused("Publishing comes after the review. Schedule the meeting, or type review to start the review now."),
        PostmortemStatus.Published => LifecycleOutcome.Refused("This postmortem is already published."),
        PostmortemStatus.Closed => LifecycleOutcome.Refused(FinishedText(PostmortemStatus.Closed)),
        _ when request.UnmetChecks > 0 && reason is null => LifecycleOutcome.Refused(
            $"{(request.UnmetChecks == 1 ? "One item" : $"{request.UnmetChecks} items")} of the checklist {(request.UnmetChecks == 1 ? "is" : "are")} not met yet. Fill {(request.UnmetChecks == 1 ? "it" : "them")} in, or publish anyway with a reason when {(request.UnmetChecks == 1 ? "it truly does" : "they truly do")} not apply."),
        _ => Move(postmortem with { PublishedAt = request.At, PublishedBy = request.By }, PostmortemStatus.Published, request, request.UnmetChecks > 0 ? reason : null),
    };

    private static LifecycleOutcome Reopen(Postmortem postmortem, LifecycleRequest request, string? reason)
    {
        if (!postmortem.Status.IsFinished())
        {
            return LifecycleOutcome.Refused("This postmortem is not published or closed, so there is nothing to reopen.");
        }

        return reason is null
            ? LifecycleOutcome.Refused("Please say why you are reopening it, for example: reopen The fix did not hold under load.")
            : Move(postmortem with { PublishedAt = null, PublishedBy = null }, PostmortemStatus.InReview, request, reason);
    }

    private static LifecycleOutcome Move(Postmortem postmortem, PostmortemStatus to, LifecycleRequest request, string? reason) =>
        postmortem.Status == to && request.Step == LifecycleStep.InviteSent
            ? new LifecycleOutcome(postmortem, null)
            : new LifecycleOutcome(Record(postmortem with { Status = to }, new LifecycleEvent(LifecycleEventKind.StatusChanged, request.At, request.By, to, Reason: reason)), null);

    private static Postmortem Record(Postmortem postmortem, LifecycleEvent happened) =>
        postmortem with { History = [.. postmortem.History.TakeLast(LifecycleEvent.Kept - 1), happened] };

    private static string? Reason(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string FinishedText(PostmortemStatus status) =>
        $"This postmortem is {Describe(status)}. The facilitator can reopen it with a reason first.";

    private static string StepText(LifecycleStep step) => step switch
    {
        LifecycleStep.MeetingCancelled => "call off the meeting",
        LifecycleStep.StartReview => "start the review",
        _ => "close this postmortem",
    };
}
