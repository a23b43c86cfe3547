using Postmortems.Core.Actions;
using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Analysis;

[TestClass]
public sealed class FactorRulesTests
{
    private static ContributingFactor Factor(string id = "f1") => new()
    {
        Id = id,
        PostmortemId = "pm1",
        Author = TestData.Alex,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Text = "The flag had no default and nothing checked it before deploy",
        Category = FactorCategory.ChangeAndDeployment,
    };

    [TestMethod]
    public void EveryCategoryParsesFromItsValueAndHasAHint()
    {
        foreach (var (category, value, title, hint) in FactorCategories.All)
        {
            Assert.AreEqual(category, FactorCategories.Parse(value));
            Assert.IsFalse(string.IsNullOrWhiteSpace(title));
            Assert.IsFalse(string.IsNullOrWhiteSpace(hint));
        }

        Assert.HasCount(Enum.GetValues<FactorCategory>().Length, FactorCategories.All);
    }

    [TestMethod]
    [DataRow("human error")]
    [DataRow("Tooling")]
    [DataRow(" tooling")]
    [DataRow("5")]
    [DataRow("")]
    [DataRow(null)]
    public void UnknownCategoryIsNotParsed(string? value) => Assert.IsNull(FactorCategories.Parse(value));

    [TestMethod]
    public void FactorWithoutCategoryIsRefused()
    {
        var error = DiscussionRules.Validate(Factor() with { Category = null }).Single();

        Assert.AreEqual("category", error.Field);
    }

    [TestMethod]
    public void FactorWithAnUndefinedCategoryIsRefused()
    {
        var error = DiscussionRules.Validate(Factor() with { Category = (FactorCategory)42 }).Single();

        Assert.AreEqual("category", error.Field);
    }

    [TestMethod]
    public void AcceptedRiskWithoutReasonIsRefused()
    {
        var error = DiscussionRules.Validate(Factor() with { Decision = FactorDecision.AcceptedRisk, RiskReason = "  " }).Single();

        Assert.AreEqual("riskReason", error.Field);
        StringAssert.Contains(error.Message, "the reason the team accepts this risk");
    }

    [TestMethod]
    public void AcceptedRiskWithReasonIsValid() =>
        Assert.IsEmpty(DiscussionRules.Validate(Factor() with { Decision = FactorDecision.AcceptedRisk, RiskReason = "Rare and cheap to recover from" }));

    [TestMethod]
    public void LinkToAnEntryOfAnotherPostmortemIsRefused()
    {
        var factor = Factor() with { EntryIds = ["e1", "e-of-another-postmortem"] };

        var error = FactorRules.ValidateLinks(factor, ["e1", "e2"]).Single();

        Assert.AreEqual("entries", error.Field);
        Assert.AreEqual(FactorRules.ForeignEntryMessage, error.Message);
    }

    [TestMethod]
    public void LinksToEntriesOfTheSamePostmortemAreAccepted() =>
        Assert.IsEmpty(FactorRules.ValidateLinks(Factor() with { EntryIds = ["e1", "e2"] }, ["e1", "e2", "e3"]));

    [TestMethod]
    public void MalformedEntryIdIsRefusedBeforeAnyLookup()
    {
        var error = DiscussionRules.Validate(Factor() with { EntryIds = ["e1", "a/b"] }).Single();

        Assert.AreEqual("entries", error.Field);
    }

    [TestMethod]
    public void ActionNamingAFactorOfAnotherPostmortemIsRefused()
    {
        var action = TestData.Action("pm1") with { FactorIds = ["f-elsewhere"] };

        var error = FactorRules.ValidateLinks(action, ["f1"]).Single();

        Assert.AreEqual("factors", error.Field);
    }

    [TestMethod]
    public void FactorIsOpenUntilSomethingIsDecided() =>
        Assert.AreEqual(FactorState.Open, FactorRules.StateOf(Factor(), [TestData.Action("pm1")]));

    [TestMethod]
    public void FactorNamedByAnActionIsAddressed() =>
        Assert.AreEqual(FactorState.Addressed, FactorRules.StateOf(Factor(), [TestData.Action("pm1") with { FactorIds = ["f1"] }]));

    [TestMethod]
    public void AnActionDroppedAsWontDoAddressesNothing()
    {
        var dropped = TestData.Action("pm1") with { FactorIds = ["f1"], Status = ActionStatus.WontDo };

        Assert.AreEqual(FactorState.Open, FactorRules.StateOf(Factor(), [dropped]));
        Assert.AreEqual(FactorState.AcceptedRisk, FactorRules.StateOf(Factor() with { Decision = FactorDecision.AcceptedRisk, RiskReason = "r" }, [dropped]));
    }

    [TestMethod]
    public void AnActionAddressesAnAcceptedRiskToo() =>
        Assert.AreEqual(
            FactorState.Addressed,
            FactorRules.StateOf(Factor() with { Decision = FactorDecision.AcceptedRisk, RiskReason = "r" }, [TestData.Action("pm1") with { FactorIds = ["f1"], Status = ActionStatus.Done }]));
}
