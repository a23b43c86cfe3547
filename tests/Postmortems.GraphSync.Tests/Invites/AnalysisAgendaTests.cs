using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Tests.Invites;

/// <summary>The postmortem meeting's agenda asks what went well and where we got lucky, with what people noted, escaped for HTML.</summary>
[TestClass]
public sealed class AnalysisAgendaTests
{
    private static readonly Uri Link = new("https://teams.microsoft.com/l/entity/app-id/postmortem");

    [TestMethod]
    public void TheDiscussionAsksWhatWentWellAndWhereWeGotLucky()
    {
        var body = InviteBodies.Postmortem(SampleDocuments.Realistic(), Link, "Europe/Paris");

        foreach (string text in new[] { body.Html, body.Text })
        {
            int discussion = text.IndexOf("2. Discussion", StringComparison.Ordinal);
            int well = text.IndexOf("What went well?", StringComparison.Ordinal);
            int lucky = text.IndexOf("Where did we get lucky?", StringComparison.Ordinal);
            int ideas = text.IndexOf("3. Remediation ideas", StringComparison.Ordinal);
            Assert.IsTrue(discussion >= 0 && discussion < well && well < lucky && lucky < ideas, text);
        }
    }

    [TestMethod]
    public void NotedItemsAreListedAndHostileTextIsEscaped()
    {
        const string Hostile = "<img src=x onerror=alert(1)> & \"quoted\"\r\nsecond line";
        var sample = SampleDocuments.Realistic();
        var document = sample with
        {
            WentWell = [new WentWell { Id = "g1", PostmortemId = sample.Postmortem.Id, Author = new Person("u1", "Megan"), CreatedAt = DateTimeOffset.UnixEpoch, Text = "The alert fired within a minute" }],
            Lucky = [new LuckyBreak { Id = "l1", PostmortemId = sample.Postmortem.Id, Author = new Person("u2", "Alex"), CreatedAt = DateTimeOffset.UnixEpoch, Text = Hostile }],
        };

        var body = InviteBodies.Postmortem(document, Link, "Europe/Paris");

        Assert.Contains("The alert fired within a minute", body.Text);
        Assert.Contains("The alert fired within a minute", body.Html);
        Assert.DoesNotContain("<img", body.Html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", body.Html);
    }
}
