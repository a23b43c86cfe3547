using Postmortems.Bot.MessageExtension;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>
/// A Teams message body as the plain text of a timeline entry: what people wrote, mentions as names, no markup, no
/// script, within the entry's limit with a visible note. Adversarial bodies (nesting, tags that never close) get the right
/// answer from one pass; no clock is read here.
/// </summary>
[TestClass]
public sealed class MessageTextTests
{
    private const int Limit = 2000;

    private static string Text(string html) => MessageText.ToPlainText(html, isHtml: true, Limit).Text;

    [TestMethod]
    public void MentionsReadAsTheNamesOfWhoWasMentioned() =>
        Assert.AreEqual("Ops DB down, Ada Lovelace rolling back", Text("<div><at id=\"0\">Ops</at> DB down, <at id=\"1\">Ada Lovelace</at> rolling back</div>"));

    [TestMethod]
    public void ScriptsStylesAndCommentsAreDroppedWithEverythingInThem() =>
        Assert.AreEqual("before after", Text("before <script>alert('x<b>')</script><style>p{}</style><!-- <p>hidden</p> -->after"));

    [TestMethod]
    public void AScriptThatNeverClosesDropsTheRestOfTheMessage() =>
        Assert.AreEqual("kept", Text("kept<script>alert(1) and more text"));

    [TestMethod]
    public void ParagraphsAndLineBreaksBecomeLinesAndSpacesFold() =>
        Assert.AreEqual("Error rate up\nRolling back now\n\nDone", Text("<p>Error   rate\n up</p><p>Rolling back now<br><br>Done</p>"));

    [TestMethod]
    public void CharacterReferencesAreDecodedOnceSoEscapedMarkupStaysText() =>
        Assert.AreEqual("a < b & \"c\" &lt;script&gt; é €", Text("a &lt; b &amp; &quot;c&quot; &amp;lt;script&amp;gt; &#233; &#x20AC;"));

    [TestMethod]
    public void AnAmpersandThatIsNotAReferenceIsKept() =>
        Assert.AreEqual("R&D &unknown; & more", Text("R&D &unknown; & more"));

    [TestMethod]
    public void AGreaterThanInsideAQuotedAttributeDoesNotEndTheTag() =>
        Assert.AreEqual("link", Text("<a title=\"x>y\" href='a>b'>link</a>"));

    [TestMethod]
    public void ImagesAndAttributesLeaveNoText() =>
        Assert.AreEqual("graph", Text("<img src=\"x\" onerror=\"alert(1)\">graph"));

    [TestMethod]
    public void ControlAndBidiOverrideCharactersAreDropped() =>
        Assert.AreEqual("abcd ef", Text("a\u202Eb\u0000c\u0007d ef"));

    [TestMethod]
    public void ATextBodyKeepsItsLineBreaksAndIsNotReadAsHtml()
    {
        var text = MessageText.ToPlainText("<b>not a tag</b>\nsecond line", isHtml: false, Limit);

        Assert.AreEqual("<b>not a tag</b>\nsecond line", text.Text);
        Assert.IsFalse(text.Shortened);
    }

    [TestMethod]
    public void ALongMessageIsCutToTheLimitWithAVisibleNote()
    {
        var text = MessageText.ToPlainText("<p>" + new string('x', 5000) + "</p>", isHtml: true, Limit);

        Assert.IsTrue(text.Shortened);
        Assert.AreEqual(Limit, text.Text.Length);
        Assert.EndsWith(MessageText.ShortenedNote, text.Text);
    }

    [TestMethod]
    public void AMessageAtTheLimitIsNotMarkedShortened()
    {
        var text = MessageText.ToPlainText(new string('y', Limit - MessageText.ShortenedNote.Length), isHtml: true, Limit);

        Assert.IsFalse(text.Shortened);
    }

    [TestMethod]
    public void DeeplyNestedHtmlGivesItsTextInOnePass()
    {
        const int Depth = 50_000;
        string html = string.Concat(Enumerable.Repeat("<div><span>", Depth)) + "deep" + string.Concat(Enumerable.Repeat("</span></div>", Depth));

        Assert.AreEqual("deep", Text(html));
    }

    [TestMethod]
    public void AHundredKilobytesOfTagsThatNeverCloseLeaveNothing() =>
        Assert.AreEqual(string.Empty, Text(AdversarialText.Repeat("<a title=\"")));

    [TestMethod]
    public void AHundredKilobytesOfOpenAngleBracketsAndAmpersandsAreKeptAsTextUpToTheLimit()
    {
        var text = MessageText.ToPlainText(AdversarialText.Repeat("< &"), isHtml: true, Limit);

        Assert.IsTrue(text.Shortened);
        Assert.StartsWith("< &< &< &", text.Text);
    }

    [TestMethod]
    public void EmojiStayWholeAndLoneSurrogatesAreDropped()
    {
        Assert.AreEqual("fire 🔥 out", Text("fire 🔥 out"));
        Assert.AreEqual("ab", Text("a\uD83Db\uDD25"));

        // Cut at the limit: never half an emoji.
        var text = MessageText.ToPlainText(string.Concat(Enumerable.Repeat("🔥", 2000)), isHtml: true, Limit);
        Assert.IsTrue(text.Shortened);
        string cut = text.Text;
        for (int i = 0; i < cut.Length; i++)
        {
            if (char.IsHighSurrogate(cut[i]))
            {
                Assert.IsTrue(i + 1 < cut.Length && char.IsLowSurrogate(cut[++i]), "a whole pair");
            }
            else
            {
                Assert.IsFalse(char.IsLowSurrogate(cut[i]), "no lone half");
            }
        }
    }

    [TestMethod]
    public void NoBodyIsEmptyText() =>
        Assert.AreEqual(string.Empty, MessageText.ToPlainText(null, isHtml: true, Limit).Text);
}
