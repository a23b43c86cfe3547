using Postmortems.Core.Common;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// What the facilitator chose on a meeting preview card, read from its inputs: null where an input was missing or
/// unreadable. The date and time are the facilitator's wall clock in <see cref="TimeZone"/>.
/// </summary>
public sealed record InviteChoices
{
    public required string Subject { get; init; }

    public DateOnly? Date { get; init; }

    public TimeOnly? Time { get; init; }

    /// <summary>The zone the date and time are read in.</summary>
    public required string TimeZone { get; init; }

    public int? DurationMinutes { get; init; }

    public Person? Organizer { get; init; }

    /// <summary>The people invited; null when more than <see cref="InviteRules.MaxAttendees"/> were chosen.</summary>
    public IReadOnlyList<Person>? Attendees { get; init; }

    /// <summary>How many of the chosen attendees could not be found.</summary>
    public int AttendeesNotFound { get; init; }
}

/// <summary>
/// What makes a meeting invite one that can be sent: a subject, a start far enough ahead for people to join and within
/// the next year, one of the offered lengths, an organizer, and a list of attendees small enough for a card (a larger
/// audience is a group in Outlook) whose people were all found. Pure: no storage, no clock of its own.
/// </summary>
public static class InviteRules
{
    /// <summary>More than this and a group belongs in the invite instead (and the card stays small).</summary>
    public const int MaxAttendees = 100;

    /// <summary>A start closer than this is too soon for people to join.</summary>
    public static readonly TimeSpan ShortestNotice = TimeSpan.FromMinutes(5);

    /// <summary>A start further than this is refused: a postmortem meets soon after the incident.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    /// <summary>The lengths offered, in minutes: a postmortem meeting takes 45 to 90.</summary>
    public static IReadOnlyList<int> Durations { get; } = [45, 60, 75, 90];

    /// <summary>Every reason the choices cannot be sent, keyed by the card's input; empty when they can.</summary>
    public static IReadOnlyList<FieldError> Validate(InviteChoices choices, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(choices);
        List<FieldError?> errors =
        [
            CheckSubject(choices.Subject),
            choices.Date is null ? new FieldError("date", "Please pick the date from the calendar.") : null,
            choices.Time is null ? new FieldError("time", "Please pick a start time, for example 10:00.") : null,
            StartOf(choices) is { } start ? CheckStart(start, now) : null,
            CheckDuration(choices.DurationMinutes),
            choices.Organizer is null ? new FieldError("organizer", "Please choose who organizes the meeting.") : null,
            CheckAttendees(choices.Attendees, choices.AttendeesNotFound),
        ];
        return [.. errors.OfType<FieldError>()];
    }

    /// <summary>The start as an instant: the chosen date and time on the wall clock of the chosen zone; null until both are chosen.</summary>
    public static DateTimeOffset? StartOf(InviteChoices choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return choices.Date is { } date && choices.Time is { } time ? TimeZones.FromLocal(date.ToDateTime(time), choices.TimeZone) : null;
    }

    public static FieldError? CheckSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.Length == 0 ? new FieldError("subject", "Please give the meeting a subject.")
            : subject.Length > TextLimits.Title ? new FieldError("subject", $"Please keep the subject under {TextLimits.Title} characters.")
            : null;
    }

    /// <summary>Not in the past, not in the next few minutes (<see cref="ShortestNotice"/>), not beyond <see cref="Horizon"/>.</summary>
    public static FieldError? CheckStart(DateTimeOffset start, DateTimeOffset now) =>
        start < now ? new FieldError("time", "That time has already passed. Please pick a later one.")
        : start < now + ShortestNotice ? new FieldError("time", "That's only a few minutes away, too soon for people to join. Please pick a later time.")
        : start > now + Horizon ? new FieldError("date", "Please pick a date within the next year.")
        : null;

    public static FieldError? CheckDuration(int? minutes) =>
        minutes is { } m && Durations.Contains(m) ? null : new FieldError("duration", "Please choose a length between 45 and 90 minutes.");

    public static FieldError? CheckAttendees(IReadOnlyList<Person>? attendees, int notFound) =>
        attendees is null ? new FieldError("attendees", $"Please invite at most {MaxAttendees} people here; for more, invite a group in Outlook.")
        : notFound > 0 ? new FieldError("attendees", "One of the attendees couldn't be found. Please choose them again from the list.")
        : null;

    /// <summary>
    /// Who the invite goes to besides the organizer: the attendees (the organizer is not invited to their own meeting),
    /// then the open invitation group, if there is one, as optional, so anyone who wants to learn may join.
    /// </summary>
    public static IReadOnlyList<Attendee> Invited(Attendee organizer, IEnumerable<Attendee> attendees, string? openInvitationGroup)
    {
        ArgumentNullException.ThrowIfNull(organizer);
        ArgumentNullException.ThrowIfNull(attendees);
        var invited = attendees.Where(a => a.ObjectId != organizer.ObjectId).ToList();
        if (openInvitationGroup is { } group)
        {
            invited.Add(new Attendee(group, group, group, IsOptional: true));
        }

        return invited;
    }
}
