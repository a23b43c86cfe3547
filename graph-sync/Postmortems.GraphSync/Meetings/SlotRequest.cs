namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// What a proposed meeting time must fit: everyone's calendar, the organizer's working hours, not before
/// <see cref="NotBefore"/>, within <see cref="SearchWorkingDays"/> working days.
/// </summary>
/// <param name="FallbackTimeZone">The zone to plan in when the organizer's is not known (the requesting user's Teams zone).</param>
public sealed record SlotRequest(
    Attendee Organizer,
    IReadOnlyList<Attendee> Attendees,
    DateTimeOffset NotBefore,
    TimeSpan Duration,
    string FallbackTimeZone,
    int SearchWorkingDays = 5);

/// <summary>
/// A proposed start, in the organizer's time zone. <see cref="EveryoneFree"/> is false when no slot suited everyone,
/// and <see cref="Note"/> then says so in words a person can act on.
/// </summary>
public sealed record SlotProposal(DateTimeOffset Start, string OrganizerTimeZone, bool EveryoneFree, string? Note = null);
