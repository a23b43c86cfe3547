using Postmortems.Core.Outbox;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Postmortems.Core.Common;
using Postmortems.GraphSync.Meetings;
using IcalAttendee = Ical.Net.DataTypes.Attendee;
using MeetingAttendee = Postmortems.GraphSync.Meetings.Attendee;

namespace Postmortems.GraphSync.Local;

/// <summary>
/// Local mode (no Graph credentials): each invite becomes an iCalendar file (RFC 5545, METHOD:REQUEST) in a folder,
/// one file per postmortem and meeting kind, which Outlook opens and sends on. Nothing leaves the machine. No name or
/// text can add a property, a parameter or an attendee: see <see cref="IcsText"/>.
/// </summary>
public sealed class IcsMeetingGateway : IMeetingGateway
{
    public const string SlotNote =
        "I can't see calendars without Microsoft Graph, so this is the next working morning; change it if it doesn't suit.";

    private const string ProductId = "-//Blameless Postmortems//Meeting invites//EN";
    private const string Location = "Microsoft Teams meeting";

    private readonly string _folder;
    private readonly TimeProvider _time;

    /// <param name="folder">An absolute path; created on the first write if missing.</param>
    public IcsMeetingGateway(string folder, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Path.IsPathFullyQualified(folder))
        {
            throw new ArgumentException("The invite folder must be an absolute path.", nameof(folder));
        }

        _folder = Path.GetFullPath(folder);
        _time = timeProvider ?? TimeProvider.System;
    }

    public bool SendsInvites => false;

    /// <summary>Where the file for this postmortem's meeting of this kind is written.</summary>
    public string FileFor(string postmortemId, MeetingKind kind) =>
        Path.Combine(_folder, $"{SafeFileNamePart(postmortemId)}-{(kind == MeetingKind.FollowUp ? "follow-up" : "postmortem")}.ics");

    public Task<SlotProposal> ProposeSlotAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string zone = TimeZones.IsKnown(request.FallbackTimeZone) ? request.FallbackTimeZone : "UTC";
        var now = _time.GetUtcNow();
        var start = WorkingMorning.After(request.NotBefore > now ? request.NotBefore : now, zone);
        return Task.FromResult(new SlotProposal(start, zone, EveryoneFree: true, SlotNote));
    }

    public Task<SentMeeting> CreateEventAsync(MeetingInvite invite, InviteBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return WriteAsync(invite, UidFor(invite), body, isUpdate: false, cancellationToken);
    }

    public Task<SentMeeting> UpdateEventAsync(MeetingInvite invite, string eventId, InviteBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return WriteAsync(invite, string.IsNullOrWhiteSpace(eventId) ? UidFor(invite) : eventId, body, isUpdate: true, cancellationToken);
    }

    /// <summary>The event's UID: derived from the transaction id, so a retried create names the same event.</summary>
    public static string UidFor(MeetingInvite invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return Ids.DerivedId(invite.TransactionId) + "@blameless-postmortems";
    }

    private async Task<SentMeeting> WriteAsync(MeetingInvite invite, string uid, InviteBody body, bool isUpdate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        string path = FileFor(invite.PostmortemId, invite.Kind);
        try
        {
            Directory.CreateDirectory(_folder);
            int? previous = await ReadSequenceAsync(path, uid, cancellationToken).ConfigureAwait(false);

            // Attendees compare SEQUENCE to know an update is newer. A create that is retried keeps what is there.
            int sequence = isUpdate ? (previous ?? 0) + 1 : previous ?? 0;
            var (calendar, skipped) = BuildCalendar(invite, uid, sequence, body);
            string content = IcsText.Fold(new CalendarSerializer().SerializeToString(calendar)
                ?? throw new InvalidOperationException("The calendar could not be written."));
            await WriteAtomicallyAsync(path, content, cancellationToken).ConfigureAwait(false);
            return new SentMeeting(uid, null, null, path, skipped);
        }
        catch (IOException e)
        {
            throw new ExternalCallException(
                $"I couldn't write the invite file in {_folder}. I'll try again shortly. ({e.Message})", isTransient: true, innerException: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ExternalCallException(
                $"I'm not allowed to write invite files in {_folder}. Please give the app write access to that folder, or set Graph:LocalInviteFolder to another one.",
                isTransient: false, innerException: e);
        }
    }

    private (Calendar Calendar, IReadOnlyList<string> Skipped) BuildCalendar(MeetingInvite invite, string uid, int sequence, InviteBody body)
    {
        string zone = ToIanaZone(invite.TimeZone);
        var calendar = new Calendar { ProductId = ProductId, Method = "REQUEST" };

        // A VTIMEZONE for the event's zone, so Outlook shows the organizer's local time whatever its own zone is.
        calendar.AddTimeZone(zone, invite.Start.UtcDateTime.AddDays(-1), includeHistoricalData: false);

        var evt = new CalendarEvent
        {
            Uid = uid,
            Sequence = sequence,
            DtStamp = new CalDateTime(_time.GetUtcNow().UtcDateTime, "UTC"),
            DtStart = new CalDateTime(TimeZones.InZone(invite.Start, zone).DateTime, zone),
            DtEnd = new CalDateTime(TimeZones.InZone(invite.End, zone).DateTime, zone),
            Summary = invite.Subject,
            Description = body.Text,
            Location = Location,
        };

        // Without an e-mail address there is no calendar address to give (Ical.Net writes only mailto: for people):
        // the ORGANIZER is left out, and whoever opens the file in Outlook and sends it becomes the organizer.
        if (MailtoOf(invite.Organizer) is { } organizer)
        {
            evt.Organizer = new Organizer(organizer) { CommonName = IcsText.CommonName(invite.Organizer.DisplayName) };
        }

        var html = new CalendarProperty("X-ALT-DESC", body.Html);
        html.AddParameter("FMTTYPE", "text/html");
        evt.AddProperty(html);

        var skipped = new List<string>();
        foreach (var attendee in invite.Attendees.Where(a => a.ObjectId != invite.Organizer.ObjectId))
        {
            // Without an e-mail address no invite can reach them: they are reported back, so the bot can say who to add.
            if (MailtoOf(attendee) is not { } address)
            {
                skipped.Add(attendee.DisplayName);
                continue;
            }

            evt.Attendees.Add(new IcalAttendee(address)
            {
                CommonName = IcsText.CommonName(attendee.DisplayName),
                Role = attendee.IsOptional ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT",
                ParticipationStatus = "NEEDS-ACTION",
                Rsvp = true,
            });
        }

        calendar.Events.Add(evt);
        return (calendar, skipped);
    }

    private static string? MailtoOf(MeetingAttendee person) =>
        !string.IsNullOrWhiteSpace(person.Email) && Uri.TryCreate("mailto:" + person.Email.Trim(), UriKind.Absolute, out var mailto)
            ? mailto.OriginalString
            : null;

    private static async Task<int?> ReadSequenceAsync(string path, string uid, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = Calendar.Load(content)?.Events.FirstOrDefault(e => e.Uid == uid);
            return existing?.Sequence;
        }
#pragma warning disable CA1031 // A file we cannot parse is replaced, as if it were not there.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>Writes to a temporary file next to the target, then moves it over: readers never see half a file.</summary>
    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken)
    {
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(new UTF8Encoding(false).GetBytes(content), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// The IANA id for a zone given as IANA or Windows id (Teams sends either); IANA ids are what Ical.Net's time zone
    /// data knows. Unknown zones fall back to UTC, which is at least an unambiguous instant.
    /// </summary>
    private static string ToIanaZone(string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone) || !TimeZones.IsKnown(zone))
        {
            return "UTC";
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone, out string? iana) ? iana : zone;
    }

    /// <summary>Letters, digits, '-' and '_' only, so an id can never name a path elsewhere or a hidden file.</summary>
    private static string SafeFileNamePart(string value)
    {
        var safe = new StringBuilder(Math.Min(value.Length, 100));
        foreach (char c in value.AsSpan(0, Math.Min(value.Length, 100)))
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return safe.Length == 0 ? "postmortem" : safe.ToString();
    }
}
