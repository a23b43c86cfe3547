using Postmortems.Core.Outbox;
using System.Globalization;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.Calendar.GetSchedule;
using Postmortems.GraphSync.Meetings;
using Attendee = Postmortems.GraphSync.Meetings.Attendee;
using GraphAttendee = Microsoft.Graph.Models.Attendee;

namespace Postmortems.GraphSync.Graph;

/// <summary>
/// Meetings in the organizer's Outlook calendar, with a Teams meeting, through Microsoft Graph with application
/// permissions (Calendars.ReadWrite, User.Read.All). Every failure is a <see cref="ExternalCallException"/>.
/// </summary>
public sealed class GraphMeetingGateway : IMeetingGateway
{
    private const string DateTimeFormat = "yyyy-MM-ddTHH:mm:ss";

    private static readonly GraphCallContext ReadUser = new(
        "The app isn't allowed to read people's profiles. An admin needs to grant User.Read.All.",
        "That person wasn't found in the directory.");

    private static readonly GraphCallContext ReadSchedule = new(
        "The app isn't allowed to read calendars. An admin needs to grant Calendars.Read (or Calendars.ReadWrite).",
        "The organizer's calendar wasn't found. They need an Exchange Online mailbox.");

    private static readonly GraphCallContext WriteEvent = new(
        "The app isn't allowed to write to this calendar. An admin needs to grant Calendars.ReadWrite.",
        "The organizer's calendar wasn't found. They need an Exchange Online mailbox.");

    private static readonly GraphCallContext UpdateEvent = new(
        "The app isn't allowed to write to this calendar. An admin needs to grant Calendars.ReadWrite.",
        "The meeting is no longer in the organizer's calendar (it may have been deleted). Send a new invite instead.");

    private readonly GraphServiceClient _graph;
    private readonly TimeProvider _time;

    public GraphMeetingGateway(GraphServiceClient graph, TimeProvider? time = null)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _time = time ?? TimeProvider.System;
    }

    public bool SendsInvites => true;

    public async Task<SlotProposal> ProposeSlotAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizer = await ResolveAsync(request.Organizer, cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalCallException("The organizer wasn't found in the directory.", isTransient: false, status: 404);
        var (attendees, skipped) = await ResolveAllAsync(request.Attendees, request.Organizer, cancellationToken).ConfigureAwait(false);

        var notBefore = FreeSlotFinder.RoundUpToQuarter(request.NotBefore);

        // Enough calendar days for the working days asked for, weekends included; Graph allows at most 62 days.
        int calendarDays = Math.Min(62, (int)Math.Ceiling(request.SearchWorkingDays * 7 / 5.0) + 3);
        var until = notBefore.AddDays(calendarDays);

        // findMeetingTimes is delegated-only; getSchedule works with application permissions (Graph calendar:
        // getSchedule), so the slot is computed here from everyone's free/busy and the organizer's working hours.
        var emails = new[] { organizer.Email! }.Concat(attendees.Select(a => a.Email!)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var body = new GetSchedulePostRequestBody
        {
            Schedules = emails,
            StartTime = new DateTimeTimeZone { DateTime = Format(notBefore.UtcDateTime), TimeZone = "UTC" },
            EndTime = new DateTimeTimeZone { DateTime = Format(until.UtcDateTime), TimeZone = "UTC" },
            AvailabilityViewInterval = 15,
        };
        var response = await GraphFailures.CallAsync(
            () => _graph.Users[request.Organizer.ObjectId].Calendar.GetSchedule.PostAsGetSchedulePostResponseAsync(
                body, r => r.Headers.Add("Prefer", "outlook.timezone=\"UTC\""), cancellationToken),
            ReadSchedule,
            _time,
            cancellationToken).ConfigureAwait(false);

        var schedules = (response?.Value ?? [])
            .Where(s => s.ScheduleId is not null)
            .GroupBy(s => s.ScheduleId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        schedules.TryGetValue(organizer.Email!, out var organizerSchedule);
        var (hours, zoneName) = WorkingHoursOf(organizerSchedule, request.FallbackTimeZone);

        // A schedule Graph could not read (an error, or none at all) counts as free: better a proposal than none.
        var unseen = skipped.ToList();
        var organizerBusy = organizerSchedule is { Error: null } ? BusyTimes(organizerSchedule) : [];
        var othersBusy = new List<(Attendee Who, IReadOnlyList<BusyInterval> Busy)>();
        foreach (var attendee in attendees)
        {
            if (schedules.TryGetValue(attendee.Email!, out var schedule) && schedule.Error is null)
            {
                othersBusy.Add((attendee, BusyTimes(schedule)));
            }
            else
            {
                unseen.Add(attendee.DisplayName);
            }
        }

        if (organizerSchedule is null || organizerSchedule.Error is not null)
        {
            unseen.Insert(0, organizer.DisplayName);
        }

        string? unseenNote = unseen.Count switch
        {
            0 => null,
            1 => $"We couldn't see {unseen[0]}'s calendar, so they count as free.",
            _ => $"We couldn't see the calendars of {JoinNames(unseen)}, so they count as free.",
        };

        var everyone = othersBusy.Select(o => o.Busy).Prepend(organizerBusy).ToList();
        var slot = FreeSlotFinder.FindFirstSlot(hours, everyone, notBefore, request.Duration, request.SearchWorkingDays, until);
        if (slot is { } allFree)
        {
            return new SlotProposal(allFree, zoneName, EveryoneFree: true, unseenNote);
        }

        string days = request.SearchWorkingDays == 1 ? "working day" : $"{request.SearchWorkingDays} working days";
        var organizerSlot = FreeSlotFinder.FindFirstSlot(hours, [organizerBusy], notBefore, request.Duration, request.SearchWorkingDays, until);
        if (organizerSlot is { } start)
        {
            var end = start + request.Duration;
            int busy = othersBusy.Count(o => o.Busy.Any(b => b.Start < end && b.End > start));
            string who = busy == 1 ? "1 person is" : $"{busy} people are";
            string note = $"No time in the next {days} suits everyone; {who} busy at this time.";
            return new SlotProposal(start, zoneName, EveryoneFree: false, Join(note, unseenNote));
        }

        // Not even the organizer is free: offer the first working slot and let the facilitator move it.
        var first = FreeSlotFinder.FindFirstSlot(hours, [], notBefore, request.Duration, request.SearchWorkingDays)
            ?? TimeZoneInfo.ConvertTime(notBefore, hours.Zone);
        string full = $"No time in the next {days} suits everyone, the organizer included; please pick a time that works.";
        return new SlotProposal(first, zoneName, EveryoneFree: false, Join(full, unseenNote));
    }

    public async Task<SentMeeting> CreateEventAsync(MeetingInvite invite, InviteBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(body);
        var zone = FindZone(invite.TimeZone)
            ?? throw new ExternalCallException($"The time zone \"{invite.TimeZone}\" isn't known, so the meeting can't be put in a calendar.", isTransient: false);
        var (attendees, skipped) = await ResolveAllAsync(invite.Attendees, invite.Organizer, cancellationToken).ConfigureAwait(false);

        var graphEvent = EventFields(invite, body, zone, attendees);

        // Graph event resource: once isOnlineMeeting/onlineMeetingProvider are set the meeting stays a Teams meeting;
        // transactionId makes a retried POST return the event made the first time instead of a second one.
        graphEvent.IsOnlineMeeting = true;
        graphEvent.OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness;
        graphEvent.TransactionId = invite.TransactionId;
        graphEvent.AllowNewTimeProposals = true;
        graphEvent.ResponseRequested = true;
        graphEvent.IsReminderOn = true;
        graphEvent.ReminderMinutesBeforeStart = 15;

        var created = await GraphFailures.CallAsync(
            () => _graph.Users[invite.Organizer.ObjectId].Events.PostAsync(graphEvent, r => PreferZone(r.Headers, invite.TimeZone), cancellationToken),
            WriteEvent,
            _time,
            cancellationToken).ConfigureAwait(false);
        return Sent(created, fallbackId: null, skipped);
    }

    public async Task<SentMeeting> UpdateEventAsync(MeetingInvite invite, string eventId, InviteBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentNullException.ThrowIfNull(body);
        var zone = FindZone(invite.TimeZone)
            ?? throw new ExternalCallException($"The time zone \"{invite.TimeZone}\" isn't known, so the meeting can't be put in a calendar.", isTransient: false);
        var (attendees, skipped) = await ResolveAllAsync(invite.Attendees, invite.Organizer, cancellationToken).ConfigureAwait(false);

        var changes = EventFields(invite, body, zone, attendees);
        var updated = await GraphFailures.CallAsync(
            () => _graph.Users[invite.Organizer.ObjectId].Events[eventId].PatchAsync(changes, r => PreferZone(r.Headers, invite.TimeZone), cancellationToken),
            UpdateEvent,
            _time,
            cancellationToken).ConfigureAwait(false);
        return Sent(updated, eventId, skipped);
    }

    /// <summary>The fields a create and an update both send.</summary>
    private static Event EventFields(MeetingInvite invite, InviteBody body, TimeZoneInfo zone, IReadOnlyList<Attendee> attendees) => new()
    {
        Subject = invite.Subject,

        // The HTML is built (and encoded) by the caller; it goes out exactly as given.
        Body = new ItemBody { ContentType = BodyType.Html, Content = body.Html },
        Start = new DateTimeTimeZone { DateTime = Format(TimeZoneInfo.ConvertTime(invite.Start, zone).DateTime), TimeZone = invite.TimeZone },
        End = new DateTimeTimeZone { DateTime = Format(TimeZoneInfo.ConvertTime(invite.End, zone).DateTime), TimeZone = invite.TimeZone },
        Attendees = [.. attendees.Select(a => new GraphAttendee
        {
            EmailAddress = new EmailAddress { Address = a.Email, Name = a.DisplayName },
            Type = a.IsOptional ? AttendeeType.Optional : AttendeeType.Required,
        })],
    };

    /// <summary>Graph answers (and stores) times in this zone (Graph event: "Prefer: outlook.timezone").</summary>
    private static void PreferZone(Microsoft.Kiota.Abstractions.RequestHeaders headers, string zone) =>
        headers.Add("Prefer", $"outlook.timezone=\"{zone}\"");

    private static SentMeeting Sent(Event? graphEvent, string? fallbackId, IReadOnlyList<string> skipped)
    {
        string id = graphEvent?.Id ?? fallbackId
            ?? throw new ExternalCallException("Microsoft Graph answered without the meeting it made. It will be tried again.", isTransient: true);
        return new SentMeeting(id, ToUri(graphEvent?.WebLink), ToUri(graphEvent?.OnlineMeeting?.JoinUrl), LocalFile: null, skipped);
    }

    private static Uri? ToUri(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// Everyone but the organizer, with an e-mail address (looked up when missing). People the directory doesn't know
    /// are left out and named in the second list.
    /// </summary>
    private async Task<(IReadOnlyList<Attendee> Found, IReadOnlyList<string> Skipped)> ResolveAllAsync(
        IReadOnlyList<Attendee> attendees, Attendee organizer, CancellationToken cancellationToken)
    {
        var found = new List<Attendee>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { organizer.ObjectId };
        foreach (var attendee in attendees.Where(a => seen.Add(a.ObjectId)))
        {
            if (await ResolveAsync(attendee, cancellationToken).ConfigureAwait(false) is { } resolved)
            {
                if (!string.Equals(resolved.Email, organizer.Email, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(resolved);
                }
            }
            else
            {
                skipped.Add(attendee.DisplayName);
            }
        }

        return (found, skipped);
    }

    /// <summary>The person with an e-mail address: as given, or from the directory (mail, else userPrincipalName); null when not found.</summary>
    private async Task<Attendee?> ResolveAsync(Attendee person, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(person.Email))
        {
            return person;
        }

        User? user;
        try
        {
            user = await GraphFailures.CallAsync(
                () => _graph.Users[person.ObjectId].GetAsync(
                    r => r.QueryParameters.Select = ["id", "displayName", "mail", "userPrincipalName"], cancellationToken),
                ReadUser,
                _time,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException notFound) when (notFound.Status == 404)
        {
            return null;
        }

        string? email = !string.IsNullOrWhiteSpace(user?.Mail) ? user.Mail : user?.UserPrincipalName;
        return string.IsNullOrWhiteSpace(email) ? null : person with { Email = email };
    }

    /// <summary>The organizer's working hours from getSchedule, or 09:00-17:00 Monday to Friday in the fallback zone.</summary>
    private static (OrganizerHours Hours, string ZoneName) WorkingHoursOf(ScheduleInformation? schedule, string fallbackZone)
    {
        var fallback = FindZone(fallbackZone) is { } zone ? (zone, fallbackZone) : (TimeZoneInfo.Utc, "UTC");
        if (schedule is not { Error: null, WorkingHours: { StartTime: { } start, EndTime: { } end } working })
        {
            return (OrganizerHours.NineToFive(fallback.Item1), fallback.Item2);
        }

        // The zone may be a Windows id ("Eastern Standard Time") or an IANA id; .NET on Linux resolves both. A custom
        // zone ("Customized Time Zone") does not resolve: the fallback zone is used for it.
        var (hoursZone, name) = working.TimeZone?.Name is { } graphName && FindZone(graphName) is { } graphZone
            ? (graphZone, graphName)
            : fallback;
        var days = (working.DaysOfWeek ?? [])
            .Where(d => d is not null)
            .Select(d => Enum.Parse<DayOfWeek>(d!.Value.ToString(), ignoreCase: true))
            .ToHashSet();
        if (days.Count == 0)
        {
            days = [.. OrganizerHours.MondayToFriday];
        }

        var hours = new OrganizerHours(
            hoursZone, days, new TimeOnly(start.Hour, start.Minute, start.Second), new TimeOnly(end.Hour, end.Minute, end.Second));
        return (hours, name);
    }

    /// <summary>The times a schedule is taken: busy, tentative, out of office and working elsewhere all count; free does not.</summary>
    private static IReadOnlyList<BusyInterval> BusyTimes(ScheduleInformation schedule) =>
        [.. (schedule.ScheduleItems ?? [])
            .Where(i => i.Status is not FreeBusyStatus.Free && i.Start is not null && i.End is not null)
            .Select(i => ToInstant(i.Start!) is { } s && ToInstant(i.End!) is { } e ? new BusyInterval(s, e) : (BusyInterval?)null)
            .OfType<BusyInterval>()];

    private static DateTimeOffset? ToInstant(DateTimeTimeZone value)
    {
        if (!DateTime.TryParse(value.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var zone = FindZone(value.TimeZone ?? "UTC") ?? TimeZoneInfo.Utc;
        return FreeSlotFinder.ToInstant(local, zone);
    }

    private static TimeZoneInfo? FindZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static string Format(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static string JoinNames(List<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    private static string Join(string first, string? second) => second is null ? first : $"{first} {second}";
}
