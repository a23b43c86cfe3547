using Postmortems.Bot.Items;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Items;

/// <summary>The refusal of an edit or removal names everyone who may do it instead, each once, as plain text.</summary>
[TestClass]
public sealed class ItemRefusalTextTests
{
    private static readonly Person Adele = new("00000000-0000-0000-0000-0000000000022", "Adele Vance");

    [TestMethod]
    public void ARefusalNamesTheAuthorTheFacilitatorAndADistinctScribe()
    {
        var postmortem = TestData.Postmortem() with { Scribe = Adele }; // facilitated by Alex
        Assert.AreEqual(
            "Only Megan Bowen, who wrote this, Alex Wilber, who facilitates the postmortem, or Adele Vance, the scribe, can remove it. Nothing was changed.",
            Message(ItemEdits.Refused(postmortem, Takeaway(TestData.Megan, postmortem.Id), "remove")));
        Assert.AreEqual(
            "Only Alex Wilber, who wrote this and facilitates the postmortem, or Adele Vance, the scribe, can edit it. Nothing was changed.",
            Message(ItemEdits.Refused(postmortem, Takeaway(TestData.Alex, postmortem.Id), "edit")));
        Assert.AreEqual(
            "Only Adele Vance, who wrote this, or Alex Wilber, who facilitates the postmortem, can edit it. Nothing was changed.",
            Message(ItemEdits.Refused(postmortem, Takeaway(Adele, postmortem.Id), "edit")),
            "the scribe who wrote it is named once, as the author");
    }

    [TestMethod]
    public void HostileNamesInARefusalStayOnOneLineOfPlainText()
    {
        var scribe = new Person("00000000-0000-0000-0000-0000000000023", "Eve\r\n**[click](https://evil.example)**");
        var postmortem = TestData.Postmortem() with { Scribe = scribe };
        string message = Message(ItemEdits.Refused(postmortem, Takeaway(TestData.Megan, postmortem.Id), "remove"));

        Assert.IsFalse(message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal), message);
        StringAssert.EndsWith(message, ", the scribe, can remove it. Nothing was changed.");
    }

    private static Takeaway Takeaway(Person author, string postmortemId) =>
        new() { Id = "t1", PostmortemId = postmortemId, Author = author, CreatedAt = DateTimeOffset.UtcNow, Text = "Dashboards we trusted were sampling" };

    private static string Message(InvokeResponse response) => ((InvokeError)((AdaptiveCardInvokeResponse)response.Body!).Value).Message;
}
