using Postmortems.Bot.Cards;
using Postmortems.Bot.Meetings;
using Postmortems.Core.Overview;

namespace Postmortems.Bot.Tests.Meetings;

/// <summary>The invite preview names the earlier postmortems the invite will list under "Seen before", as literal text on one line.</summary>
[TestClass]
public sealed class InviteSeenBeforeNoteTests
{
    private static readonly AdaptiveCard Preview = new() { Body = [new TextBlock("Preview")] };

    [TestMethod]
    public void ThePreviewNamesTheEarlierPostmortemsTheInviteWillList()
    {
        var card = InviteWording.WithSeenBefore(Preview, [Earlier("Checkout outage in October"), Earlier("Payments outage")]);

        var note = (TextBlock)card.Body[^1];
        Assert.AreEqual("The invite also lists, under “Seen before”, earlier postmortems with similar conditions: “Checkout outage in October”, “Payments outage”.", note.Text);
    }

    [TestMethod]
    public void WithoutEarlierPostmortemsThePreviewIsUnchanged() =>
        Assert.AreSame(Preview, InviteWording.WithSeenBefore(Preview, []));

    [TestMethod]
    public void HostileTitlesStayLiteralTextOnOneLine()
    {
        var card = InviteWording.WithSeenBefore(Preview, [Earlier("Checkout\r\n# Heading [click](javascript:alert(1)) <b>x</b>")]);

        string text = ((TextBlock)card.Body[^1]).Text;
        Assert.DoesNotContain("\n", text);
        Assert.Contains(@"\[click\]\(javascript:alert\(1\)\)", text);
        Assert.DoesNotContain("[click](", text);
    }

    private static SeenBefore Earlier(string title) => new("pm-" + title.Length, title, DateTimeOffset.UtcNow.AddDays(-30), "same service");
}
