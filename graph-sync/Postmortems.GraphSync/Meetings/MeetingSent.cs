namespace Postmortems.GraphSync.Meetings;

/// <summary>The result kept with a sent invite's outbox item, and what the chat is told.</summary>
public sealed record MeetingSent(
    MeetingKind Kind,
    string Subject,
    DateTimeOffset Start,
    int DurationMinutes,
    string TimeZone,
    string EventId,
    Uri? WebLink,
    Uri? JoinUrl,
    string? LocalFile,
    IReadOnlyList<string> SkippedAttendees,
    bool Updated);
