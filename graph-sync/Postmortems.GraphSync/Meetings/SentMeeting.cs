namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// What sending an invite produced: the event's id (Graph's, or the .ics UID in local mode), the links people use,
/// the .ics file in local mode, and the attendees who could not be invited (no e-mail address found).
/// </summary>
public sealed record SentMeeting(string EventId, Uri? WebLink, Uri? JoinUrl, string? LocalFile, IReadOnlyList<string> SkippedAttendees)
{
    public SentMeeting(string eventId, Uri? webLink, Uri? joinUrl, string? localFile)
        : this(eventId, webLink, joinUrl, localFile, [])
    {
    }
}
