using System.Net;
using System.Text.RegularExpressions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Invites;

/// <summary>The postmortem invite carries the whole template of the practice, found by reading the HTML's headings back.</summary>
[TestClass]
public sealed partial class InviteTemplateTests
{
    private static readonly Uri Link = new("https://teams.microsoft.com/l/chat/19%3Aabc/conversations");
    private static readonly Uri Page = new("https://app.contoso.test/tab/postmortems/pm1");
    private static readonly Person Scribe = new("00000000-0000-0000-0000-000000000031", "Lee Gu");
    private static readonly Person Commander = new("00000000-0000-0000-0000-000000000032", "Nestor Wilke");

    [TestMethod]
    public void ThePostmortemInviteHasEverySectionOfTheTemplateInOrder()
    {
        var document = WithRolesAndKeyEntries(SampleDocuments.Realistic());

        var body = InviteBodies.Postmortem(document, Link, "Europe/Paris", Page);

        CollectionAssert.AreEqual(
            new[]
            {
                document.Postmortem.Title, "What we know so far", "Desired outcomes", "Roles", "Agenda", "1. Event recap", "2. Discussion",
                "Expectations and assumptions at the key moments", "3. Remediation ideas", "4. Actions", "5. Takeaways", "Our prime directive", "What blameless means here",
            },
            Headings(body.Html).ToArray());
        Assert.Contains("<a href=\"" + WebUtility.HtmlEncode(Link.AbsoluteUri) + "\">Open the postmortem in Teams</a>", body.Html);
        Assert.Contains(WebUtility.HtmlEncode(Practice.PrimeDirective), body.Html);
    }

    [TestMethod]
    public void TheDesiredOutcomesRolesAndKeyEntriesSayWhatThePracticeAsks()
    {
        var body = InviteBodies.Postmortem(WithRolesAndKeyEntries(SampleDocuments.Realistic()), Link, "Europe/Paris", Page);

        foreach (string expected in new[]
        {
            "A shared understanding of what happened",
            "incidents rarely have a single cause, and a person is never one",
            "\"Be more careful\" is not an action",
            "A progress meeting a few weeks later",
            "Facilitator: Alex Wilber",
            "Scribe: Lee Gu",
            "Incident commander: Nestor Wilke",
            "Fri 20 Nov 2026, 15:05:09: Deploy pipeline: Rolled out config change 4711 to all regions.",
            "- Expected: The canary would stop a bad value.",
            "- Assumed: Configuration goes through the canary like code.",
        })
        {
            Assert.Contains(expected, body.Text);
        }

        Assert.DoesNotContain("Customer support: Three customers", body.Text[body.Text.IndexOf("Expectations and assumptions", StringComparison.Ordinal)..], "only entries that recorded expectations or assumptions");
    }

    [TestMethod]
    public void WithoutAScribeOrKeyEntriesTheInviteSaysSoKindly()
    {
        var document = SampleDocuments.Realistic();
        var body = InviteBodies.Postmortem(document with { Timeline = [.. document.Timeline.Select(e => e with { Expectations = " ", Assumptions = null })] }, Link, "Europe/Paris");

        Assert.Contains("Scribe: Not named yet", body.Text);
        Assert.DoesNotContain("Incident commander", body.Text);
        Assert.Contains("None recorded yet: we will ask at each step what people expected and assumed.", body.Text);
    }

    [TestMethod]
    [DataRow("Mallory\r\n<script>alert(1)</script>; DROP](https://evil.example)")]
    [DataRow("<img src=x onerror=alert(1)>")]
    public void HostileNamesAndEntriesInRolesAndKeyEntriesStayText(string hostile)
    {
        var hostilePerson = new Person("00000000-0000-0000-0000-000000000099", hostile);
        var document = SampleDocuments.Hostile(hostile);
        document = document with
        {
            Postmortem = document.Postmortem with { Facilitator = hostilePerson, Scribe = hostilePerson, IncidentCommander = hostilePerson },
            Timeline = [.. document.Timeline.Select(e => e with { Expectations = hostile, Assumptions = hostile })],
        };

        var body = InviteBodies.Postmortem(document, Link, "Europe/Paris");

        Assert.DoesNotContain("<script", body.Html);
        Assert.DoesNotContain("<img", body.Html);
        Assert.Contains(WebUtility.HtmlEncode(SingleLineText.Name(hostile, "Someone")), body.Html);
        string name = SingleLineText.Name(hostile, "Someone");
        Assert.Contains("Scribe: " + name + Environment.NewLine, body.Text.ReplaceLineEndings(Environment.NewLine), "a name stays on one line");
        Assert.Contains("Roles", Headings(body.Html).ToList());
        Assert.Contains("Expectations and assumptions at the key moments", Headings(body.Html).ToList());
    }

    private static PostmortemDocument WithRolesAndKeyEntries(PostmortemDocument document)
    {
        var deploy = document.Timeline.Single(e => e.Actor == "Deploy pipeline");
        var keyed = deploy with
        {
            OccurredAt = deploy.OccurredAt.AddSeconds(9),
            Expectations = "The canary would stop a bad value.",
            Assumptions = "Configuration goes through the canary like code.",
        };
        return document with
        {
            Postmortem = document.Postmortem with { Scribe = Scribe, IncidentCommander = Commander },
            Timeline = [.. document.Timeline.Select(e => e.Id == deploy.Id ? keyed : e with { Expectations = null, Assumptions = null })],
        };
    }

    /// <summary>The text of every h1, h2 and h3, in document order, decoded as a browser would.</summary>
    private static IEnumerable<string> Headings(string html) =>
        HeadingTag().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value));

    [GeneratedRegex("<h[1-3][^>]*>(?<text>[^<]*)</h[1-3]>", RegexOptions.NonBacktracking)]
    private static partial Regex HeadingTag();
}
