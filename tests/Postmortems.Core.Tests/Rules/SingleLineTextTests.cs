using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

/// <summary>The one rule for names (normalised) and single-line fields (refused with a clear message).</summary>
[TestClass]
public sealed class SingleLineTextTests
{
    [TestMethod]
    [DataRow("Megan\r\nATTENDEE:mailto:x@evil.example", "Megan ATTENDEE:mailto:x@evil.example", DisplayName = "CR LF")]
    [DataRow("Lee\nGu", "Lee Gu", DisplayName = "LF")]
    [DataRow("Tab\there", "Tab here", DisplayName = "tab")]
    [DataRow("  Alex \u0000\u0007 Wilber\u007F\u0085 ", "Alex Wilber", DisplayName = "C0, DEL, C1, outer spaces")]
    [DataRow("Line\u2028Separator\u2029Para", "Line Separator Para", DisplayName = "Unicode line and paragraph separators")]
    [DataRow("evil\u202Egnp.exe\u2066x\u2069\uFEFF", "evilgnp.exex", DisplayName = "bidi overrides, isolates and BOM are removed")]
    [DataRow("Zoë 😀 O'Brien-Ünal; \"Q\" <b>[x](y)</b> *@all*", "Zoë 😀 O'Brien-Ünal; \"Q\" <b>[x](y)</b> *@all*", DisplayName = "printable text is left to each output's escaping")]
    [DataRow("\r\n\t ", "Someone", DisplayName = "nothing left: the fallback")]
    [DataRow(null, "Someone", DisplayName = "missing: the fallback")]
    public void NamesAreNormalisedToOneLine(string? name, string expected)
    {
        Assert.AreEqual(expected, SingleLineText.Name(name, "Someone"));
    }

    [TestMethod]
    public void BrokenSurrogatesAreRemovedAndLongNamesAreCutWithoutSplittingAPair()
    {
        Assert.AreEqual("ab", SingleLineText.Name("a\uD83Db\uDE00", "x"));

        string cut = SingleLineText.Name(new string('a', TextLimits.Name - 1) + "😀 tail", "x");

        Assert.AreEqual(new string('a', TextLimits.Name - 1), cut, "the pair does not fit whole, so it is left out");
        Assert.AreEqual(TextLimits.Name, SingleLineText.Name(new string('b', 5000), "x").Length);
        Assert.IsFalse(SingleLineText.HasInvisibleControl(SingleLineText.Name("x\u202E\r\n\ty" + new string(' ', 300) + "z", "x")));
    }

    [TestMethod]
    public void ALineBreakInATitleIsRefusedWithAClearMessageAndTextIsKept()
    {
        var postmortem = TestData.Postmortem() with { Title = "Checkout down\r\nATTENDEE:mailto:x@evil.example" };

        var errors = PostmortemRules.Validate(postmortem);

        Assert.AreEqual("A title needs to fit on one line. Please remove the line breaks.", errors.Single(e => e.Field == "title").Message);
    }

    [TestMethod]
    public void ControlCharactersInSingleLineFieldsAreRefusedEverywhereTheSameWay()
    {
        var postmortem = TestData.Postmortem();

        var action = ActionItemRules.Validate(TestData.Action(postmortem.Id) with { Title = "Add a canary\u202E gate" }, DateOnly.FromDateTime(DateTime.UtcNow), dueDateIsBeingSet: true);
        var entry = TimelineEntryRules.Validate(TestData.TimelineEntry(postmortem.Id) with { Actor = "Deploy\tpipeline" }, DateTimeOffset.UtcNow);
        var reported = PostmortemRules.Validate(postmortem with { ReportedBy = "Support\u2028desk" });

        Assert.AreEqual("What will change contains invisible control characters. Please retype it or paste it as plain text.", action.Single(e => e.Field == "title").Message);
        Assert.Contains("invisible control characters", entry.Single(e => e.Field == "actor").Message);
        Assert.AreEqual("Who or what reported it needs to fit on one line. Please remove the line breaks.", reported.Single(e => e.Field == "reportedBy").Message);
    }

    [TestMethod]
    public void MultiLineTextKeepsItsLineBreaksAndTabs()
    {
        var postmortem = TestData.Postmortem() with { Summary = "Line one\r\n\tLine two" };

        Assert.IsEmpty(PostmortemRules.Validate(postmortem));
    }
}
