namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// Where meetings are made: Microsoft Graph (the organizer's Outlook calendar, with a Teams meeting), or, with no
/// Graph credentials, iCalendar files in the app's data folder. Failures are <see cref="ExternalCallException"/>.
/// </summary>
public interface IMeetingGateway
{
    /// <summary>True when invites really go out through Graph; false when they are written as .ics files.</summary>
    bool SendsInvites { get; }

    Task<SlotProposal> ProposeSlotAsync(SlotRequest request, CancellationToken cancellationToken);

    Task<SentMeeting> CreateEventAsync(MeetingInvite invite, InviteBody body, CancellationToken cancellationToken);

    /// <summary>Changes an event made earlier (time, attendees, body); attendees get the update.</summary>
    Task<SentMeeting> UpdateEventAsync(MeetingInvite invite, string eventId, InviteBody body, CancellationToken cancellationToken);
}
