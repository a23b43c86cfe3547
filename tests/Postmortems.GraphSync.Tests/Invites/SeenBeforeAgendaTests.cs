using System.Net;
using Postmortems.Core.Overview;
using Postmortems.GraphSync.Local;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Invites;

/// <summary>The invites' "Seen before": earlier postmortems with their date, the reason and their page, escaped for HTML and .ics.</summary>
[TestClass]
public sealed class SeenBeforeAgendaTests
{
    private static readonly Uri Link = new("https://teams.microsoft.com/l/entity/app-id/postmortem");

    /// <summary>Titles that try to end a line, add an .ics property, open markup or a Markdown link.</summary>
    public static readonly string[] HostileTitles =
    [
        "Checkout\r\nATTENDEE;CN=Mallory:mailto:mallory@evil.example",
        "<script>alert(1)</script> & \"quoted\"",
        "Payments; DESCRIPTION:forged, [click](javascript:alert(2))",
    ];

    [TestMethod]
    public void PostmortemInviteListsEarlierPostmortemsWithTheirDateReasonAndPage()
    {
        var earlier = Earlier("Checkout outage in October", "pm-oct");

        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier: [earlier]);

        Assert.Contains(
            "<li><a href=\"https://postmortems.contoso.test/tab/postmortems/pm-oct\">Checkout outage in October</a>, 12 Oct 2026: same service or tag “checkout” and a contributing factor of the same category (Change and deployment).</li>",
            body.Html);
        Assert.Contains(
            "- Checkout outage in October, 12 Oct 2026: same service or tag “checkout” and a contributing factor of the same category (Change and deployment). https://postmortems.contoso.test/tab/postmortems/pm-oct",
            body.Text);
        foreach (string text in new[] { body.Html, body.Text })
        {
            int takeaways = text.IndexOf("5. Takeaways", StringComparison.Ordinal);
            int seen = text.IndexOf("Seen before", StringComparison.Ordinal);
            int directive = text.IndexOf("Our prime directive", StringComparison.Ordinal);
            Assert.IsTrue(takeaways < seen && seen < directive, "after the agenda, before the prime directive");
        }
    }

    [TestMethod]
    public void FollowUpInviteAsksWhetherTheEarlierActionsHelped()
    {
        var body = InviteBodies.FollowUp(SampleDocuments.Realistic(), Link, new DateOnly(2026, 12, 1), earlier: [Earlier("Checkout outage in October", "pm-oct")]);

        Assert.Contains("Seen before", body.Text);
        Assert.Contains("Did the actions taken after them help", body.Text);
        Assert.Contains("href=\"https://postmortems.contoso.test/tab/postmortems/pm-oct\"", body.Html);
    }

    [TestMethod]
    public void WithoutEarlierPostmortemsThereIsNoSeenBeforeSection()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier: []);
        var followUp = InviteBodies.FollowUp(SampleDocuments.Realistic(), Link, new DateOnly(2026, 12, 1));

        Assert.DoesNotContain("Seen before", body.Html + body.Text + followUp.Html + followUp.Text);
    }

    [TestMethod]
    public void AtMostFiveEarlierPostmortemsAreListed()
    {
        var earlier = Enumerable.Range(1, 7).Select(i => Earlier($"Earlier incident {i}", $"pm-{i}")).ToList();

        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier: earlier);

        Assert.Contains("Earlier incident 5", body.Text);
        Assert.DoesNotContain("Earlier incident 6", body.Text);
        Assert.AreEqual(PracticeOverview.MaxSeenBefore, body.Html.Split("/tab/postmortems/pm-").Length - 1);
    }

    [TestMethod]
    public void WithoutAWebAddressTheTitleIsShownWithoutALink()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier:
        [
            Earlier("No app address", "pm-a") with { PageLink = null },
            Earlier("Script address", "pm-b") with { PageLink = new Uri("javascript:alert(1)") },
        ]);

        Assert.Contains("<li>No app address, 12 Oct 2026", body.Html);
        Assert.Contains("<li>Script address, 12 Oct 2026", body.Html);
        Assert.DoesNotContain("javascript:", body.Html);
    }

    [TestMethod]
    public void HostileTitlesAndReasonsAreEncodedAndTitlesStayOnOneLine()
    {
        var earlier = HostileTitles.Select((t, i) => Earlier(t, $"pm-{i}", reason: "“" + t + "” and “<b>x</b>”: similar")).ToList();

        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier: earlier);

        Assert.DoesNotContain("<script", body.Html);
        Assert.DoesNotContain("<b>x</b>", body.Html);
        Assert.Contains(">" + WebUtility.HtmlEncode(HostileTitles[1]) + "</a>", body.Html);
        Assert.Contains(">Checkout ATTENDEE;CN=Mallory:mailto:mallory@evil.example</a>", body.Html, "the title folded to one line");
        Assert.Contains("- Checkout ATTENDEE;CN=Mallory:mailto:mallory@evil.example, 12 Oct 2026", body.Text);
        Assert.Contains("- Payments; DESCRIPTION:forged, [click](javascript:alert(2)), 12 Oct 2026", body.Text);
    }

    [TestMethod]
    public async Task HostileTitlesStayInsideTheDescriptionsOfTheIcsFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "ics-seen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var earlier = HostileTitles.Select((t, i) => Earlier(t, $"pm-{i}", reason: t + "\nX-FORGED:1")).ToList();
            var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris", earlier: earlier);
            var invite = new MeetingInvite
            {
                Kind = MeetingKind.Postmortem,
                TenantId = TestData.NewTenantId(),
                PostmortemId = "pm1",
                Subject = "Postmortem: checkout",
                Start = new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero),
                DurationMinutes = 60,
                TimeZone = "Europe/Paris",
                Organizer = new Attendee(TestData.Alex.ObjectId, TestData.Alex.DisplayName, "alex@contoso.example"),
                Attendees = [],
                TransactionId = Guid.NewGuid().ToString("N"),
            };

            var sent = await new IcsMeetingGateway(folder).CreateEventAsync(invite, body, CancellationToken.None);

            var calendar = StrictIcs.Parse(await File.ReadAllBytesAsync(sent.LocalFile!));
            Assert.AreEqual(body.Text.ReplaceLineEndings("\n"), calendar.Event.Text("DESCRIPTION"), "a line break is text in .ics: CR LF and LF both read as one");
            Assert.AreEqual(body.Html, calendar.Event.Text("X-ALT-DESC"));
            Assert.Contains("Seen before", calendar.Event.Text("DESCRIPTION"));
            CollectionAssert.AreEquivalent(
                new[] { "DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "LOCATION", "ORGANIZER", "SEQUENCE", "SUMMARY", "UID", "X-ALT-DESC" },
                calendar.Event.Properties.Select(p => p.Name).Distinct().ToArray(),
                "no title or reason added a property or an attendee");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static EarlierPostmortem Earlier(string title, string id, string? reason = null) => new(
        new SeenBefore(id, title, new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.Zero), reason ?? "same service or tag “checkout” and a contributing factor of the same category (Change and deployment)"),
        new Uri("https://postmortems.contoso.test/tab/postmortems/" + id));
}
