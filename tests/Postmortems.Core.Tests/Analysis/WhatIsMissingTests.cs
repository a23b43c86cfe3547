using Postmortems.Core.Actions;
using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Analysis;

[TestClass]
public sealed class WhatIsMissingTests
{
    private static readonly Postmortem Parent = TestData.Postmortem();

    private static ContributingFactor Factor(string id, FactorDecision decision = FactorDecision.Open) => new()
    {
        Id = id,
        PostmortemId = Parent.Id,
        Author = TestData.Alex,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Text = "Factor " + id,
        Category = FactorCategory.Capacity,
        Decision = decision,
        RiskReason = decision == FactorDecision.AcceptedRisk ? "We accept it" : null,
    };

    private static PostmortemDocument Document(IReadOnlyList<ContributingFactor> factors, IReadOnlyList<ActionItem> actions) =>
        new(Parent, [], [], actions, [], factors, []);

    [TestMethod]
    public void APostmortemWithoutFactorsIsMissingOne()
    {
        var missing = WhatIsMissing.Find(Document([], []));

        Assert.AreEqual(WhatIsMissing.NoFactorKind, missing.Single().Kind);
    }

    [TestMethod]
    public void AnOpenFactorWithNeitherActionNorAcceptedRiskIsListed()
    {
        var missing = WhatIsMissing.Find(Document([Factor("f1"), Factor("f2", FactorDecision.AcceptedRisk), Factor("f3")], [TestData.Action(Parent.Id) with { FactorIds = ["f3"] }]));

        var piece = missing.Single();
        Assert.AreEqual(WhatIsMissing.OpenFactorKind, piece.Kind);
        Assert.AreEqual("f1", piece.ItemId);
        StringAssert.Contains(piece.Text, "Factor f1");
    }

    [TestMethod]
    public void AnOpenActionWithoutOwnerOrDueDateIsListedForEach()
    {
        var action = TestData.Action(Parent.Id) with { Id = "a1", Owner = null, DueDate = null, FactorIds = ["f1"] };

        var missing = WhatIsMissing.Find(Document([Factor("f1")], [action]));

        CollectionAssert.AreEquivalent(new[] { WhatIsMissing.NoOwnerKind, WhatIsMissing.NoDueDateKind }, missing.Select(m => m.Kind).ToArray());
        Assert.IsTrue(missing.All(m => m.ItemId == "a1"));
    }

    [TestMethod]
    public void FinishedActionsNeedNothingMore()
    {
        var done = TestData.Action(Parent.Id) with { Owner = null, DueDate = null, Status = ActionStatus.Done, FactorIds = ["f1"] };

        Assert.IsEmpty(WhatIsMissing.Find(Document([Factor("f1")], [done])));
    }

    [TestMethod]
    public void ACompleteAnalysisMissesNothing() =>
        Assert.IsEmpty(WhatIsMissing.Find(Document([Factor("f1"), Factor("f2", FactorDecision.AcceptedRisk)], [TestData.Action(Parent.Id) with { FactorIds = ["f1"] }])));
}
