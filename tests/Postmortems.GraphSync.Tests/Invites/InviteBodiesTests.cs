using System.Net;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Tests.Invites;

[TestClass]
public sealed class InviteBodiesTests
{
    private static readonly Uri Link = new("https://teams.microsoft.com/l/entity/app-id/postmortem?context=%7B%22subEntityId%22%3A%22pm1%22%7D");

    private static readonly string[] AgendaInOrder =
    [
        "1. Event recap", "2. Discussion", "3. Remediation ideas", "Detect", "React", "Quick fix", "Prevent",
        "Other areas of risk", "4. Actions", "5. Takeaways", "Our prime directive", "What blameless means here",
    ];

    [TestMethod]
    public void PostmortemBodyCarriesThePrimeDirectiveWithItsAttributionTheBlamelessNoteAndTheLink()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris");

        foreach (string text in new[] { body.Html, body.Text })
        {
            Assert.Contains(Encoded(Practice.PrimeDirective, text == body.Html), text);
            Assert.Contains(Encoded(Practice.PrimeDirectiveAttribution, text == body.Html), text);
            Assert.Contains(Encoded(Practice.BlamelessNote, text == body.Html), text);
        }

        Assert.Contains($"<a href=\"{WebUtility.HtmlEncode(Link.AbsoluteUri)}\">Open the postmortem in Teams</a>", body.Html);
        Assert.Contains("Open the postmortem in Teams: " + Link.AbsoluteUri, body.Text);
    }

    [TestMethod]
    public void PostmortemBodyListsTheAgendaSectionsInOrderInHtmlAndText()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris");

        AssertInOrder(body.Html, AgendaInOrder);
        AssertInOrder(body.Text, AgendaInOrder);
    }

    [TestMethod]
    public void PostmortemBodyShowsTheTimelineInTimeOrderInTheOrganizersZone()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "America/New_York");

        // 14:05 UTC is 09:05 in New York; the entries were added out of order.
        AssertInOrder(body.Text,
        [
            "Fri 20 Nov 2026, 09:05 | Deploy pipeline | Rolled out config change 4711",
            "Fri 20 Nov 2026, 09:22 | Customer support",
            "Fri 20 Nov 2026, 09:30 | On-call engineer (Megan)",
            "Fri 20 Nov 2026, 09:40 | On-call engineer (Megan) | Rolled back",
            "Fri 20 Nov 2026, 09:50 | Incident lead",
        ]);
        Assert.Contains("Time (America/New_York)", body.Html);
        Assert.Contains("Started: Fri 20 Nov 2026, 09:05 (America/New_York)", body.Text);
        Assert.Contains("Mitigated: Fri 20 Nov 2026, 09:45 (America/New_York)", body.Text);
    }

    [TestMethod]
    public void PostmortemBodyListsIdeasUnderTheirQuestionWhysActionsAndTakeaways()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris");

        AssertInOrder(body.Text,
        [
            "Problem: Checkout failed for 12% of customers.",
            "1. Why? A configuration value was wrong in every region.",
            "3. Why? Configuration changes skip the canary stage.",
            "Detect: How do we find this", "- Alert on checkout error rate",
            "React:", "- Link the deployment log",
            "Quick fix:", "- One-click rollback",
            "Prevent:", "- Send configuration changes through the canary stage.",
            "Other areas of risk:", "- The search service",
            "- Add a checkout error-rate alert (owner: Alex Wilber; due: 4 Dec 2026; in progress)",
            "- Route configuration changes through the canary stage (owner: Megan Bowen; due: 11 Dec 2026; open)",
            "- Configuration is code: it needs the same safety net.",
        ]);
    }

    [TestMethod]
    public void EmptyTimelineSaysWeWillBuildItTogether()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic() with { Timeline = [], Whys = [] }, null, "Europe/Paris");

        Assert.Contains("We will build it together at the start of the meeting.", body.Text);
        Assert.Contains("No 5 whys written yet; we will ask them together.", body.Html);
        Assert.DoesNotContain("<table", body.Html);
        Assert.DoesNotContain("Open the postmortem in Teams", body.Html);
    }

    [TestMethod]
    public void LongTimelineIsCutAtFiftyEntriesWithALineSayingHowManyMore()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.WithTimeline(53), Link, "UTC");

        Assert.Contains("| Actor 49 | Step 49", body.Text);
        Assert.DoesNotContain("Actor 50", body.Text);
        Assert.DoesNotContain("Actor 50", body.Html);
        Assert.Contains("3 more timeline entries are in the postmortem.", body.Text);
        Assert.Contains("3 more timeline entries are in the postmortem.", body.Html);
    }

    [TestMethod]
    public void LongTextIsKeptWhole()
    {
        string longText = string.Concat(Enumerable.Repeat("The cache warmed slowly. ", 80)) + "END";
        var document = SampleDocuments.Realistic();
        document = document with { Postmortem = document.Postmortem with { Summary = longText } };

        var body = InviteBodies.Postmortem(document, Link, "UTC");

        Assert.Contains(longText, body.Text);
        Assert.Contains(longText, body.Html);
    }

    [TestMethod]
    [DataRow(SampleDocuments.Script)]
    [DataRow(SampleDocuments.Img)]
    [DataRow(SampleDocuments.Markdown)]
    public void InviteBodyEncodesScriptAndMarkdownInEveryUserField(string hostile)
    {
        var document = SampleDocuments.Hostile(hostile);
        var postmortem = InviteBodies.Postmortem(document, Link, "UTC");
        var followUp = InviteBodies.FollowUp(document, Link, new DateOnly(2026, 11, 24));
        string encoded = WebUtility.HtmlEncode(hostile);

        // Title, summary, impact, reported by, actor, description, outcome, 5 ideas, action (title and owner),
        // problem, why, factor, takeaway, and the key entry's actor and description again with its expectations: 20 places.
        Assert.AreEqual(20, Occurrences(postmortem.Html, encoded), postmortem.Html);
        Assert.AreEqual(20, Occurrences(postmortem.Text, hostile), postmortem.Text);

        // Title, action title, owner.
        Assert.AreEqual(3, Occurrences(followUp.Html, encoded), followUp.Html);
        foreach (string html in new[] { postmortem.Html, followUp.Html })
        {
            // Markdown has nothing to encode: it arrives as the literal characters, which no mail client renders.
            if (encoded != hostile)
            {
                Assert.DoesNotContain(hostile, html);
            }

            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [TestMethod]
    [DataRow("Mallory\r\n<b onmouseover=\"alert(1)\">Boss</b>")]
    [DataRow("Eve\" onclick=\"x\" ' <img src=x onerror=alert(1)> &amp; &lt;")]
    [DataRow("[x](https://evil.example) *@everyone* # ; : , \\")]
    public void HostileOwnerNamesAddNoElementOrAttributeAndReadAsTheirWords(string name)
    {
        var plain = SampleDocuments.Hostile("Plain words");
        var owner = new Person("00000000-0000-0000-0000-000000000077", name);
        var hostile = plain with { Actions = [plain.Actions[0] with { Owner = owner }] };
        var today = new DateOnly(2026, 11, 24);

        foreach (var (expected, actual) in new[]
        {
            (InviteBodies.Postmortem(plain, Link, "UTC").Html, InviteBodies.Postmortem(hostile, Link, "UTC").Html),
            (InviteBodies.FollowUp(plain, Link, today).Html, InviteBodies.FollowUp(hostile, Link, today).Html),
        })
        {
            // The same tags with the same attributes, in the same order, as with a plain name: the name added none.
            CollectionAssert.AreEqual(Tags(expected), Tags(actual), actual);
            Assert.Contains(SingleLineText.Name(name, "?"), TextOf(actual), "the name reads as its words, on one line");
        }
    }

    /// <summary>The tags of an HTML fragment, in order, read with plain code: "&lt;" starts a tag, "&gt;" ends it.</summary>
    private static List<string> Tags(string html)
    {
        var tags = new List<string>();
        for (int at = html.IndexOf('<', StringComparison.Ordinal); at >= 0; at = html.IndexOf('<', at + 1))
        {
            int end = html.IndexOf('>', at);
            Assert.IsGreaterThan(at, end, "every tag is closed");
            tags.Add(html[at..(end + 1)]);
        }

        return tags;
    }

    /// <summary>The text between the tags, decoded as a browser would.</summary>
    private static string TextOf(string html)
    {
        var text = new System.Text.StringBuilder();
        int at = 0;
        foreach (string tag in Tags(html))
        {
            int start = html.IndexOf(tag, at, StringComparison.Ordinal);
            text.Append(WebUtility.HtmlDecode(html[at..start]));
            at = start + tag.Length;
        }

        return text.Append(WebUtility.HtmlDecode(html[at..])).ToString();
    }

    [TestMethod]
    public void HtmlUsesOnlySimpleInlineStyledMarkup()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "UTC");

        Assert.DoesNotContain("class=", body.Html);
        Assert.DoesNotContain("<style", body.Html);
        Assert.DoesNotContain("<link", body.Html);
        Assert.DoesNotContain("src=", body.Html);
        Assert.DoesNotContain("<script", body.Html);
    }

    [TestMethod]
    public void LinkThatIsNotAWebAddressIsLeftOut()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), new Uri("javascript:alert(1)"), "UTC");

        Assert.DoesNotContain("javascript", body.Html);
        Assert.DoesNotContain("<a ", body.Html);
    }

    [TestMethod]
    public void FollowUpListsOnlyOpenActionsSortedByDueDateAndMarksOverdue()
    {
        var today = new DateOnly(2026, 12, 14);
        var document = SampleDocuments.WithActions(
            SampleDocuments.Action("Later action", ActionStatus.Open, new DateOnly(2026, 12, 30)),
            SampleDocuments.Action("Finished action", ActionStatus.Done, new DateOnly(2026, 12, 1)),
            SampleDocuments.Action("Overdue action", ActionStatus.InProgress, new DateOnly(2026, 12, 10), owner: "Alex Wilber"),
            SampleDocuments.Action("Dropped action", ActionStatus.WontDo, new DateOnly(2026, 12, 2)),
            SampleDocuments.Action("Due today", ActionStatus.Open, today));

        var body = InviteBodies.FollowUp(document, Link, today);

        AssertInOrder(body.Text,
        [
            "- Overdue action | Alex Wilber | 10 Dec 2026 (overdue) | In progress",
            "- Due today | Megan Bowen | 14 Dec 2026 | Open",
            "- Later action | Megan Bowen | 30 Dec 2026 | Open",
            "Already closed: 1 done, 1 won't do.",
        ]);
        Assert.DoesNotContain("Finished action", body.Text);
        Assert.DoesNotContain("Dropped action", body.Html);
        Assert.AreEqual(1, Occurrences(body.Html, "(overdue)"));
        Assert.Contains("<b style=\"color:#c50f1f;\">10 Dec 2026 (overdue)</b>", body.Html);
    }

    [TestMethod]
    public void FollowUpCarriesThePrimeDirectiveAndTheLink()
    {
        var body = InviteBodies.FollowUp(SampleDocuments.Realistic(), Link, new DateOnly(2026, 12, 14));

        Assert.Contains(Practice.PrimeDirective, body.Text);
        Assert.Contains(Practice.PrimeDirectiveAttribution, body.Text);
        Assert.Contains(WebUtility.HtmlEncode(Practice.PrimeDirective), body.Html);
        Assert.Contains("Open the postmortem in Teams", body.Html);
    }

    [TestMethod]
    public void FollowUpWithEveryActionClosedSaysSoKindly()
    {
        var document = SampleDocuments.WithActions(SampleDocuments.Action("Finished", ActionStatus.Done, new DateOnly(2026, 12, 1)));

        var body = InviteBodies.FollowUp(document, null, new DateOnly(2026, 12, 14));

        Assert.Contains("No open actions. Thank you, everyone.", body.Text);
        Assert.Contains("Already closed: 1 done, 0 won't do.", body.Text);
    }

    private static string Encoded(string text, bool html) => html ? WebUtility.HtmlEncode(text) : text;

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void AssertInOrder(string text, IEnumerable<string> parts)
    {
        int from = 0;
        foreach (string part in parts)
        {
            int at = text.IndexOf(part, from, StringComparison.Ordinal);
            Assert.IsGreaterThanOrEqualTo(0, at, $"\"{part}\" not found after position {from} in:\n{text}");
            from = at + part.Length;
        }
    }
}
