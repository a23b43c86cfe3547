namespace Postmortems.Core.Postmortems;

/// <summary>
/// Where a postmortem is in its life. The moves between them are <see cref="Lifecycle.PostmortemLifecycle"/>'s.
/// Stored by name; rows written before the lifecycle was renamed say "Open" (now <see cref="Draft"/>) and "Reviewed"
/// (now <see cref="InReview"/>), and <see cref="PostmortemStatuses.Parse"/> reads them.
/// </summary>
public enum PostmortemStatus
{
    /// <summary>Collecting the summary, timeline, factors and ideas.</summary>
    Draft = 0,

    /// <summary>The postmortem meeting's invite is out.</summary>
    MeetingScheduled = 1,

    /// <summary>The meeting has started, or the facilitator started the review: the group reviews the draft.</summary>
    InReview = 2,

    /// <summary>Every action is done or won't-do, or the facilitator closed it. Actions stay trackable.</summary>
    Closed = 3,

    /// <summary>Shared so others learn: the analysis is read-only, actions are still worked on.</summary>
    Published = 4,
}

public static class PostmortemStatuses
{
    /// <summary>A stored status, including the names used before the lifecycle had a draft and a review; unknown text reads as draft.</summary>
    public static PostmortemStatus Parse(string? stored) => stored switch
    {
        "Open" => PostmortemStatus.Draft,
        "Reviewed" => PostmortemStatus.InReview,
        _ => Enum.TryParse<PostmortemStatus>(stored, ignoreCase: false, out var status) && Enum.IsDefined(status) && !int.TryParse(stored, out _)
            ? status
            : PostmortemStatus.Draft,
    };

    /// <summary>Published and closed postmortems keep their analysis as it was shared.</summary>
    public static bool IsFinished(this PostmortemStatus status) => status is PostmortemStatus.Published or PostmortemStatus.Closed;
}
