using Postmortems.Core.Outbox;
using Ical.Net;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Local;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Common;
using Postmortems.GraphSync.Tests.Invites;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Local;

[TestClass]
public sealed class IcsMeetingGatewayTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 14, 0, 0, TimeSpan.Zero);

    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "ics-tests-" + Guid.NewGuid().ToString("N"), "invites");

    [TestCleanup]
    public void DeleteFolder()
    {
        string root = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public async Task CreatedFileParsesWithTheAgendaAndPrimeDirectiveInBothDescriptions()
    {
        var gateway = new IcsMeetingGateway(_folder);
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), new Uri("https://teams.example/pm1"), "America/New_York");

        var sent = await gateway.CreateEventAsync(Invite(), body, CancellationToken.None);

        Assert.AreEqual(Path.Combine(_folder, "pm1-postmortem.ics"), sent.LocalFile);
        Assert.IsNull(sent.WebLink);
        Assert.IsNull(sent.JoinUrl);
        var calendar = Load(sent.LocalFile!);
        Assert.AreEqual("REQUEST", calendar.Method);
        Assert.AreEqual("-//Blameless Postmortems//Meeting invites//EN", calendar.ProductId);
        var evt = calendar.Events.Single();
        Assert.AreEqual(sent.EventId, evt.Uid);
        Assert.AreEqual("Postmortem: Checkout returned 500s", evt.Summary);
        Assert.AreEqual("Microsoft Teams meeting", evt.Location);
        Assert.AreEqual(body.Text.ReplaceLineEndings("\n"), evt.Description?.ReplaceLineEndings("\n"));
        Assert.Contains("1. Event recap", evt.Description!);
        Assert.Contains(Practice.PrimeDirective, evt.Description!);

        var html = evt.Properties.Single(p => p.Name == "X-ALT-DESC");
        Assert.AreEqual("text/html", html.Parameters.Get("FMTTYPE"));
        Assert.AreEqual(body.Html, html.Value as string);
        Assert.Contains("1. Event recap", (string)html.Value!);
    }

    [TestMethod]
    public async Task StartIsInTheOrganizersZoneAtTheRightInstant()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None);

        var calendar = Load(sent.LocalFile!);
        var evt = calendar.Events.Single();
        Assert.AreEqual("America/New_York", evt.DtStart!.TzId);
        Assert.AreEqual(9, evt.DtStart.Hour);
        Assert.AreEqual(Start.UtcDateTime, evt.DtStart.AsUtc);
        Assert.AreEqual(Start.AddMinutes(60).UtcDateTime, evt.DtEnd!.AsUtc);
        Assert.AreEqual("America/New_York", calendar.TimeZones.Single().TzId);
        string raw = await File.ReadAllTextAsync(sent.LocalFile!);
        Assert.Contains("DTSTART;TZID=America/New_York:20261124T090000", raw);
    }

    [TestMethod]
    public async Task WindowsZoneIdIsWrittenAsItsIanaZone()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(Invite() with { TimeZone = "Eastern Standard Time" }, Body(), CancellationToken.None);

        var evt = Load(sent.LocalFile!).Events.Single();
        Assert.AreEqual("America/New_York", evt.DtStart!.TzId);
        Assert.AreEqual(Start.UtcDateTime, evt.DtStart.AsUtc);
    }

    [TestMethod]
    public async Task OrganizerAndAttendeesCarryMailtoRolesAndRsvp()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None);

        var evt = Load(sent.LocalFile!).Events.Single();
        Assert.AreEqual("mailto:alex@contoso.example", evt.Organizer!.Value!.OriginalString);
        Assert.AreEqual("Alex Wilber", evt.Organizer.CommonName);

        var megan = evt.Attendees.Single(a => a.CommonName == "Megan Bowen");
        Assert.AreEqual("mailto:megan@contoso.example", megan.Value!.OriginalString);
        Assert.AreEqual("REQ-PARTICIPANT", megan.Role);
        Assert.IsTrue(megan.Rsvp);

        var lee = evt.Attendees.Single(a => a.CommonName == "Lee Gu");
        Assert.AreEqual("OPT-PARTICIPANT", lee.Role);

        // No e-mail: no invite can reach them, so they are reported back instead.
        Assert.IsFalse(evt.Attendees.Any(a => a.CommonName == "Nestor Wilke"));
        CollectionAssert.AreEqual(new[] { "Nestor Wilke" }, sent.SkippedAttendees.ToArray());

        // The organizer is not invited to their own meeting.
        Assert.IsFalse(evt.Attendees.Any(a => a.CommonName == "Alex Wilber"));
    }

    [TestMethod]
    public async Task OrganizerWithoutEmailIsLeftOutForOutlookToFillIn()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(Invite() with { Organizer = Organizer with { Email = null } }, Body(), CancellationToken.None);

        Assert.IsNull(Load(sent.LocalFile!).Events.Single().Organizer);
    }

    [TestMethod]
    public async Task UpdateKeepsTheUidAndIncrementsTheSequence()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 16, 0, 0, TimeSpan.Zero));
        var gateway = new IcsMeetingGateway(_folder, time);

        var created = await gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None);
        var first = Load(created.LocalFile!).Events.Single();
        time.Advance(TimeSpan.FromHours(1));
        var updated = await gateway.UpdateEventAsync(Invite() with { Start = Start.AddHours(1) }, created.EventId, Body(), CancellationToken.None);
        var second = Load(updated.LocalFile!).Events.Single();
        await gateway.UpdateEventAsync(Invite(), created.EventId, Body(), CancellationToken.None);
        var third = Load(updated.LocalFile!).Events.Single();

        Assert.AreEqual(created.LocalFile, updated.LocalFile);
        Assert.AreEqual(created.EventId, updated.EventId);
        Assert.AreEqual(first.Uid, second.Uid);
        Assert.AreEqual(0, first.Sequence);
        Assert.AreEqual(1, second.Sequence);
        Assert.AreEqual(2, third.Sequence);
        Assert.AreEqual(10, second.DtStart!.Hour);
        Assert.AreEqual(new DateTime(2026, 11, 20, 17, 0, 0, DateTimeKind.Utc), second.DtStamp!.AsUtc);
        Assert.AreEqual(1, Directory.GetFiles(_folder).Length, "no temporary file is left behind");
    }

    [TestMethod]
    public async Task RetriedCreateGivesTheSameUidAndFile()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var first = await gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None);
        var again = await gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None);

        Assert.AreEqual(first.EventId, again.EventId);
        Assert.AreEqual(first.LocalFile, again.LocalFile);
        Assert.AreEqual(0, Load(again.LocalFile!).Events.Single().Sequence);
    }

    [TestMethod]
    public async Task FollowUpGoesToItsOwnFile()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(
            Invite() with { Kind = MeetingKind.FollowUp, TransactionId = "tx-follow-up" }, Body(), CancellationToken.None);

        Assert.AreEqual(Path.Combine(_folder, "pm1-follow-up.ics"), sent.LocalFile);
    }

    [TestMethod]
    public async Task PostmortemIdCannotNameAPathOutsideTheFolder()
    {
        var gateway = new IcsMeetingGateway(_folder);

        var sent = await gateway.CreateEventAsync(Invite() with { PostmortemId = "../../etc/x" }, Body(), CancellationToken.None);

        Assert.AreEqual(_folder, Path.GetDirectoryName(sent.LocalFile));
        Assert.AreEqual("______etc_x-postmortem.ics", Path.GetFileName(sent.LocalFile));
    }

    [TestMethod]
    public async Task FolderThatCannotBeWrittenGivesAGraphCallExceptionNamingIt()
    {
        // A path through a regular file: no directory can be made there, whoever runs the test (root included).
        string file = Path.Combine(Path.GetDirectoryName(_folder)!, "a-file");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "not a folder");
        string folder = Path.Combine(file, "invites");
        var gateway = new IcsMeetingGateway(folder);

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body(), CancellationToken.None));

        Assert.Contains(folder, error.Message);
        Assert.IsTrue(error.IsTransient);
        Assert.IsInstanceOfType<IOException>(error.InnerException);
    }

    [TestMethod]
    public void RelativeFolderIsRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new IcsMeetingGateway(".data/invites"));
    }

    [TestMethod]
    public void SendsNoInvites()
    {
        Assert.IsFalse(new IcsMeetingGateway(_folder).SendsInvites);
    }

    [TestMethod]
    [DataRow("2026-11-24T08:00:00Z", "2026-11-24T10:00:00+01:00", DisplayName = "Tuesday early: the same morning")]
    [DataRow("2026-11-24T08:30:00Z", "2026-11-25T10:00:00+01:00", DisplayName = "Less than an hour before 10:00: the next day")]
    [DataRow("2026-11-27T12:00:00Z", "2026-11-30T10:00:00+01:00", DisplayName = "Friday afternoon: Monday")]
    [DataRow("2026-11-28T07:00:00Z", "2026-11-30T10:00:00+01:00", DisplayName = "Saturday morning: Monday")]
    public async Task ProposesTheNextWorkingMorningAfterNotBefore(string notBefore, string expected)
    {
        var gateway = new IcsMeetingGateway(_folder, new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        var request = new SlotRequest(Organizer, [], DateTimeOffset.Parse(notBefore, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(1), "Europe/Paris");

        var proposal = await gateway.ProposeSlotAsync(request, CancellationToken.None);

        Assert.AreEqual(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), proposal.Start);
        Assert.AreEqual(TimeSpan.FromHours(1), proposal.Start.Offset);
        Assert.AreEqual("Europe/Paris", proposal.OrganizerTimeZone);
        Assert.IsTrue(proposal.EveryoneFree);
        Assert.AreEqual(
            "I can't see calendars without Microsoft Graph, so this is the next working morning; change it if it doesn't suit.",
            proposal.Note);
    }

    [TestMethod]
    public async Task ProposalIsNeverInThePast()
    {
        var now = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
        var gateway = new IcsMeetingGateway(_folder, new FakeTimeProvider(now));
        var request = new SlotRequest(Organizer, [], now.AddDays(-7), TimeSpan.FromHours(1), "UTC");

        var proposal = await gateway.ProposeSlotAsync(request, CancellationToken.None);

        Assert.AreEqual(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), proposal.Start);
    }

    /// <summary>Names as Teams may hand them over: each tries to end a line, a parameter or a value early.</summary>
    public static readonly string[] HostileNames =
    [
        "Megan\r\nATTENDEE;CN=Mallory:mailto:mallory@evil.example",
        "Lee\nORGANIZER:mailto:eve@evil.example",
        "Tab\there; ROLE=CHAIR",
        "Quote\" ;RSVP=FALSE:mailto:x@evil.example",
        "Colon: Comma, Semi; \"Quoted\"",
        "<b>Bold</b> [link](https://evil.example) *star* @everyone \\ back\\slash",
        "Zoë Ünicode 😀 " + new string('é', 60) + " long enough to fold across several lines of the file",
        "Line\u2028Separator\u2029Para\u202Eoverride",
    ];

    [TestMethod]
    public async Task HostileNamesAndTextNeverAddAPropertyParameterOrAttendeeToTheIcsFile()
    {
        var gateway = new IcsMeetingGateway(_folder);
        var organizer = new Attendee("00000000-0000-0000-0000-000000000020", HostileNames[3], "alex@contoso.example");
        var attendees = HostileNames.Select((name, i) => new Attendee($"00000000-0000-0000-0000-0000000001{i:D2}", name, $"person{i}@contoso.example")).ToList();
        string subject = "Postmortem: \"500s\"; at 09:10, on-call\\ <script> [x](y) é😀";
        var invite = Invite() with { Subject = subject, Organizer = organizer, Attendees = [organizer, .. attendees] };
        var body = new InviteBody("<p style=\"margin:4px 0;\">Text, more\\</p>\n<p>x</p>", "Line one; with, commas\nLine two \\ backslash: colon\nATTENDEE:mailto:mallory@evil.example");

        var sent = await gateway.CreateEventAsync(invite, body, CancellationToken.None);
        var updated = await gateway.UpdateEventAsync(invite, sent.EventId, body, CancellationToken.None);

        foreach (var file in new[] { sent.LocalFile!, updated.LocalFile! })
        {
            var calendar = StrictIcs.Parse(await File.ReadAllBytesAsync(file));
            Assert.AreEqual(new IcsPerson(Meant(organizer.DisplayName), "mailto:alex@contoso.example"), calendar.Organizer);
            CollectionAssert.AreEqual(
                attendees.Select(a => new IcsPerson(Meant(a.DisplayName), "mailto:" + a.Email)).ToArray(),
                calendar.Attendees.ToArray());
            Assert.AreEqual(subject, calendar.Event.Text("SUMMARY"));
            Assert.AreEqual(body.Text, calendar.Event.Text("DESCRIPTION"));
            Assert.AreEqual(body.Html, calendar.Event.Text("X-ALT-DESC"));
            Assert.AreEqual("text/html", calendar.Event.All("X-ALT-DESC").Single().Parameter("FMTTYPE"));
            Assert.AreEqual(1, calendar.Event.All("UID").Count());
            CollectionAssert.AreEquivalent(
                new[] { "ATTENDEE", "DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "LOCATION", "ORGANIZER", "SEQUENCE", "SUMMARY", "UID", "X-ALT-DESC" },
                calendar.Event.Properties.Select(p => p.Name).Distinct().ToArray());
        }

        // What was meant: the one rule for names, and no DQUOTE (a quoted parameter value cannot hold one, §3.2).
        static string Meant(string name) => SingleLineText.Name(name, "Someone").Replace('"', '\'');
    }

    [TestMethod]
    public void StrictReaderRefusesWhatRfc5545DoesNotAllow()
    {
        static byte[] File(string text) => System.Text.Encoding.UTF8.GetBytes(text);
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.Parse(File("BEGIN:VCALENDAR\nEND:VCALENDAR\r\n")), "bare LF");
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.Parse(File("BEGIN:VCALENDAR\r\nX-A;CN=\"a\"b\":c\r\nEND:VCALENDAR\r\n")), "DQUOTE inside a quoted value");
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.Parse(File("BEGIN:VCALENDAR\r\nX-A:" + new string('a', 80) + "\r\nEND:VCALENDAR\r\n")), "longer than 75 octets");
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.Parse(File("BEGIN:VCALENDAR\r\nX-A:" + new string('a', 72) + "\u00e9\r\n\u00e9\r\nEND:VCALENDAR\r\n")), "no name on a line");
        var split = File("BEGIN:VCALENDAR\r\nX-A:" + new string('a', 70) + "\u00e9\r\nEND:VCALENDAR\r\n");
        int at = Array.IndexOf(split, (byte)0xC3);
        byte[] broken = [.. split[..(at + 1)], (byte)'\r', (byte)'\n', (byte)' ', .. split[(at + 1)..]];
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.Parse(broken), "a fold inside a UTF-8 sequence");
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.UnescapeText("a;b"), "unescaped semicolon");
        Assert.ThrowsExactly<FormatException>(() => StrictIcs.UnescapeText("a\\qb"), "unknown escape");
        Assert.AreEqual("a;b,c\\d\ne", StrictIcs.UnescapeText("a\\;b\\,c\\\\d\\ne"));
    }

    private static readonly Attendee Organizer = new("00000000-0000-0000-0000-000000000020", "Alex Wilber", "alex@contoso.example");

    private static MeetingInvite Invite() => new()
    {
        Kind = MeetingKind.Postmortem,
        TenantId = "tenant",
        PostmortemId = "pm1",
        Subject = "Postmortem: Checkout returned 500s",
        Start = Start,
        DurationMinutes = 60,
        TimeZone = "America/New_York",
        Organizer = Organizer,
        Attendees =
        [
            Organizer,
            new("00000000-0000-0000-0000-000000000021", "Megan Bowen", "megan@contoso.example"),
            new("00000000-0000-0000-0000-000000000022", "Lee Gu", "lee@contoso.example", IsOptional: true),
            new("00000000-0000-0000-0000-000000000033", "Nestor Wilke"),
        ],
        TransactionId = "tx-pm1-postmortem",
    };

    private static InviteBody Body() => InviteBodies.Postmortem(SampleDocuments.Realistic(), null, "America/New_York");

    private static Calendar Load(string path) => Calendar.Load(File.ReadAllText(path))!;
}
