using Postmortems.Bot.Cards;

namespace Postmortems.Bot.Tests.Cards;

[TestClass]
public sealed class CardTextTests
{
    [TestMethod]
    [DataRow("\\", "\\\\")]
    [DataRow("*", "\\*")]
    [DataRow("_", "\\_")]
    [DataRow("[", "\\[")]
    [DataRow("]", "\\]")]
    [DataRow("(", "\\(")]
    [DataRow(")", "\\)")]
    [DataRow("~", "\\~")]
    [DataRow("`", "\\`")]
    [DataRow("#", "\\#")]
    [DataRow(">", "\\>")]
    [DataRow("+", "\\+")]
    [DataRow("-", "\\-")]
    [DataRow("!", "\\!")]
    public void EveryCharacterThatStartsMarkdownIsEscaped(string text, string expected)
    {
        Assert.AreEqual(expected, CardText.Literal(text));
        Assert.AreEqual($"a{expected}b", CardText.Literal($"a{text}b"), "escaped in the middle of text too");
    }

    [TestMethod]
    public void ALinkBoldAndABulletAreShownLiterally()
    {
        Assert.AreEqual(@"\[x\]\(https://evil.example\) \*\*bold\*\* \- item", CardText.Literal("[x](https://evil.example) **bold** - item"));
        Assert.AreEqual(@"\!\[x\]\(javascript:alert\(1\)\)", CardText.Literal("![x](javascript:alert(1))"));
    }

    [TestMethod]
    [DataRow("1. first", @"1\. first")]
    [DataRow("12. twelfth", @"12\. twelfth")]
    [DataRow("  3. indented", @"  3\. indented")]
    [DataRow("one\n2. second\n10. tenth", "one\n2\\. second\n10\\. tenth")]
    [DataRow("one\r\n2. second", "one\r\n2\\. second")]
    public void ALineStartingWithANumberAndADotDoesNotBecomeANumberedList(string text, string expected)
    {
        Assert.AreEqual(expected, CardText.Literal(text));
    }

    [TestMethod]
    [DataRow("Error rate rose to 12.5% at 14.05")]
    [DataRow("Version 1 2. not a list")]
    [DataRow("a1. not at the start")]
    public void ADotThatCannotStartANumberedListIsLeftAlone(string text)
    {
        Assert.AreEqual(text, CardText.Literal(text));
    }

    [TestMethod]
    public void NullAndEmptyAreTheEmptyString()
    {
        Assert.AreEqual(string.Empty, CardText.Literal(null));
        Assert.AreEqual(string.Empty, CardText.Literal(string.Empty));
    }

    [TestMethod]
    [DataRow("Checkout returned 500s for 40 minutes")]
    [DataRow("Megan Bowen")]
    [DataRow("Config “rolled out”, 12% errors: what's next? &amp; 🧯")]
    [DataRow("two\nlines")]
    public void PlainTextIsUnchanged(string text)
    {
        Assert.AreEqual(text, CardText.Literal(text));
    }
}
