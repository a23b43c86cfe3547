namespace Postmortems.GraphSync.Meetings;

/// <summary>The two meetings of a postmortem: the review itself, and the progress meeting on its actions weeks later.</summary>
public enum MeetingKind
{
    Postmortem,
    FollowUp,
}
