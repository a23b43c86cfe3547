using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

[TestClass]
public sealed class PostmortemRulesTests
{
    [TestMethod]
    public void CompletePostmortemIsValid()
    {
        Assert.IsEmpty(PostmortemRules.Validate(TestData.Postmortem()));
    }

    [TestMethod]
    public void PostmortemNeedsATitleAndAFacilitator()
    {
        var postmortem = TestData.Postmortem() with { Title = "", Facilitator = new Person("", "") };

        var fields = PostmortemRules.Validate(postmortem).Select(e => e.Field).ToArray();

        CollectionAssert.AreEquivalent(new[] { "title", "facilitator" }, fields);
    }

    [TestMethod]
    public void DetectionBeforeTheStartIsRefused()
    {
        var postmortem = TestData.Postmortem();
        postmortem = postmortem with { DetectedAt = postmortem.StartedAt!.Value.AddMinutes(-1) };

        Assert.AreEqual("detectedAt", PostmortemRules.Validate(postmortem).Single().Field);
    }

    [TestMethod]
    public void UndefinedSeverityIsRefused()
    {
        Assert.AreEqual("severity", PostmortemRules.Validate(TestData.Postmortem() with { Severity = (Severity)42 }).Single().Field);
    }

    [TestMethod]
    public void IdeaNeedsTextAndAKnownCategory()
    {
        var idea = new RemediationIdea
        {
            Id = "i1", PostmortemId = "pm1", Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow,
            Category = (RemediationCategory)9, Text = "",
        };

        CollectionAssert.AreEquivalent(new[] { "text", "category" }, RemediationIdeaRules.Validate(idea).Select(e => e.Field).ToArray());
    }

    [TestMethod]
    public void WhyChainHoldsAtMostFiveAnswers()
    {
        var chain = new FiveWhys
        {
            Id = "w1", PostmortemId = "pm1", Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow,
            Problem = "Checkout failed", Whys = ["a", "b", "c", "d", "e", "f"],
        };

        Assert.AreEqual("whys", DiscussionRules.Validate(chain).Single().Field);
        Assert.IsEmpty(DiscussionRules.Validate(chain with { Whys = ["a", "b", "c", "d", "e"] }));
    }

    [TestMethod]
    public void PostmortemIdsSortNewestFirst()
    {
        var older = Ids.NewPostmortemId(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var newer = Ids.NewPostmortemId(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero));

        Assert.IsLessThan(0, string.CompareOrdinal(newer, older));
        Assert.AreEqual(20, newer.Length);
    }

    [TestMethod]
    [DataRow("abc-123_x.y", true)]
    [DataRow("00000000-0000-0000-0000-0000000000001", true)]
    [DataRow("", false)]
    [DataRow("a/b", false)]
    [DataRow("a|b", false)]
    [DataRow("a'b", false)]
    [DataRow("a#b", false)]
    public void OnlySafeCharactersMayBePartOfATableKey(string value, bool valid)
    {
        Assert.AreEqual(valid, Ids.IsValidKeyPart(value));
    }
}
