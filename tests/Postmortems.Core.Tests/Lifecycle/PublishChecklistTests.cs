using Postmortems.Core.Actions;
using Postmortems.Core.Discussion;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Lifecycle;

[TestClass]
public sealed class PublishChecklistTests
{
    private static readonly PublishFacts Complete = new(true, true, 3, 2, 0, 0, 1);

    [TestMethod]
    public void ACompletePostmortemMeetsEveryCheck()
    {
        var items = PublishChecklist.Evaluate(Complete);

        Assert.HasCount(7, items);
        Assert.IsTrue(items.All(i => i.Met));
        Assert.AreEqual(0, PublishChecklist.UnmetCount(items));
    }

    [TestMethod]
    public void EachMissingPartIsListedInWords()
    {
        var items = PublishChecklist.Evaluate(new PublishFacts(false, false, 0, 0, 2, 1, 0));

        CollectionAssert.AreEqual(
            new[]
            {
                "The summary is empty",
                "The customer impact is empty",
                "The timeline has no entry yet",
                "No contributing factor yet",
                "2 factors are neither addressed by an action nor accepted as a risk",
                "1 action lacks an owner or a due date",
                "What went well is empty",
            },
            items.Select(i => i.Text).ToArray());
        Assert.AreEqual(7, PublishChecklist.UnmetCount(items));
    }

    [TestMethod]
    public void ChecksThisVersionCannotMakeAreLeftOutRatherThanGuessed()
    {
        var items = PublishChecklist.Evaluate(Complete with { FactorsNeitherAddressedNorAccepted = null, WentWellItems = null });

        CollectionAssert.DoesNotContain(items.Select(i => i.Check).ToList(), PublishCheck.FactorsDecided);
        CollectionAssert.DoesNotContain(items.Select(i => i.Check).ToList(), PublishCheck.WentWell);
    }

    [TestMethod]
    public void FactsComeFromTheStoredPostmortemAndWontDoActionsNeedNoOwner()
    {
        var p = TestData.Postmortem() with { Summary = "Checkout failed", CustomerImpact = null };
        var owned = TestData.Action(p.Id);
        var unowned = owned with { Id = "a2", Owner = null };
        var dropped = owned with { Id = "a3", Owner = null, DueDate = null, Status = ActionStatus.WontDo };
        var factor = new ContributingFactor { Id = "f1", PostmortemId = p.Id, Author = TestData.Alex, CreatedAt = p.CreatedAt, Text = "No canary for config" };
        var document = new PostmortemDocument(p, [TestData.TimelineEntry(p.Id)], [], [owned, unowned, dropped], [], [factor], []);

        var facts = PublishFacts.Of(document);

        Assert.IsTrue(facts.HasSummary);
        Assert.IsFalse(facts.HasCustomerImpact);
        Assert.AreEqual(1, facts.TimelineEntries);
        Assert.AreEqual(1, facts.Factors);
        Assert.AreEqual(1, facts.ActionsWithoutOwnerOrDueDate);
    }
}
