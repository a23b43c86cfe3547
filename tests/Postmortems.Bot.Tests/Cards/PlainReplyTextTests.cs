using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Tests.Cards;

/// <summary>
/// Names and titles in the text of plain messages: the same whether a client renders Markdown (Teams does) or shows
/// the text as typed, so no escape backslash the user did not type, and no link, emphasis, heading, code or tag.
/// </summary>
[TestClass]
public sealed class PlainReplyTextTests
{
    private static readonly MarkdownPipeline Rendering = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    [TestMethod]
    [DataRow("Mallory](https://evil.example) [x](y) ![i](z)", "Mallory)(https://evil.example) (x)(y) !(i)(z)")]
    [DataRow("**Boss** __boss__ *em* _em_ ~~gone~~ `code`", "Boss boss em em gone code")]
    [DataRow("# Heading", "Heading")]
    [DataRow("> quote", "quote")]
    [DataRow("- item", "item")]
    [DataRow("<at>Megan</at> <script>x</script>", "(at>Megan(/at> (script>x(/script>")]
    [DataRow("Line\r\nbreak\tand\u2028more", "Line break and more")]
    [DataRow("O'Brien-Ünal; \"Q\": a, b @all 0.1% 09:10 on-call", "O'Brien-Ünal; \"Q\": a, b @all 0.1% 09:10 on-call")]
    [DataRow("DOMAIN\\user", "DOMAIN\\user")]
    public void HostileNamesAreNeutralisedWithoutBackslashes(string name, string expected)
    {
        string plain = CardText.Plain(name);

        Assert.AreEqual(expected, plain);
        Assert.AreEqual(name.Count(c => c == '\\'), plain.Count(c => c == '\\'), "no backslash the user did not type");
        string sentence = $"Only the facilitator, {plain}, can close this postmortem.";
        var rendered = Markdown.Parse(sentence, Rendering);
        Assert.IsFalse(
            rendered.Descendants().Any(n => n is LinkInline { IsAutoLink: false } or AutolinkInline or EmphasisInline or HtmlInline or HtmlBlock or CodeInline or HeadingBlock or ListBlock or QuoteBlock),
            sentence);
    }

    [TestMethod]
    public void SenderAndRecipientNamesFollowTheNameRuleWhenTheActivityIsRead()
    {
        string body = """
            {"type":"message","channelId":"msteams","serviceUrl":"https://smba.trafficmanager.net/emea/","id":"1",
             "conversation":{"id":"a:1"},"recipient":{"id":"28:bot","name":"Bot\r\nname"},
             "from":{"id":"29:1","aadObjectId":"00000000-0000-0000-0000-000000000020","name":"Mallory\r\nATTENDEE:mailto:x@evil.example\u202E\t*x*"},
             "membersAdded":[{"id":"29:2","name":"\n\t"}]}
            """;

        var (activity, error) = ActivityReader.Read(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.IsNull(error);
        Assert.AreEqual("Mallory ATTENDEE:mailto:x@evil.example *x*", activity!.From!.Name);
        Assert.AreEqual("Bot name", activity.Recipient!.Name);
        Assert.IsNull(activity.MembersAdded!.Single().Name, "nothing left: no name, so each feature's own fallback applies");
        Assert.AreEqual("Mallory ATTENDEE:mailto:x@evil.example *x*", Postmortems.Bot.Forms.PostmortemContext.Author(activity).DisplayName);
    }
}
