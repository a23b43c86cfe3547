using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

[TestClass]
public sealed class ItemRemovalAndActionPriorityRulesTests
{
    private static readonly Person Adele = new("00000000-0000-0000-0000-0000000000022", "Adele Vance");

    [TestMethod]
    public void TheAuthorAndTheFacilitatorMayRemoveAnItemAndNobodyElse()
    {
        var postmortem = TestData.Postmortem(); // facilitated by Alex
        var byMegan = TestData.Action(postmortem.Id) with { Author = TestData.Megan };

        Assert.IsTrue(RemovalRules.CanRemove(postmortem, byMegan, TestData.Megan), "the author");
        Assert.IsTrue(RemovalRules.CanRemove(postmortem, byMegan, TestData.Alex), "the facilitator");
        Assert.IsFalse(RemovalRules.CanRemove(postmortem, byMegan, Adele), "someone else");
        Assert.IsFalse(RemovalRules.CanRemove(postmortem, byMegan, new Person(TestData.Megan.ObjectId + "x", "Megan Bowen")), "the same name is not the same person");
        Assert.IsFalse(RemovalRules.CanRemove(postmortem, byMegan with { PostmortemId = "another" }, TestData.Megan), "an item of another postmortem");
    }

    [TestMethod]
    public void OnlyTheAuthorAndTheFacilitatorMayEditAFactorOrANote()
    {
        var postmortem = TestData.Postmortem(); // facilitated by Alex
        var note = new Core.Analysis.LuckyBreak { Id = "n1", PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "The expert was in" };

        Assert.IsTrue(RemovalRules.CanEdit(postmortem, note, TestData.Megan), "the author");
        Assert.IsTrue(RemovalRules.CanEdit(postmortem, note, TestData.Alex), "the facilitator");
        Assert.IsFalse(RemovalRules.CanEdit(postmortem, note, Adele), "someone else");
        Assert.IsFalse(RemovalRules.CanEdit(postmortem, note with { EditedBy = Adele }, Adele), "having edited it once does not make it theirs");
        Assert.IsFalse(RemovalRules.CanEdit(postmortem, note with { PostmortemId = "another" }, TestData.Megan), "an item of another postmortem");
    }

    [TestMethod]
    public void TheScribeMayRemoveAndEditWhatOthersWroteLikeTheFacilitator()
    {
        var postmortem = TestData.Postmortem() with { Scribe = Adele }; // facilitated by Alex
        var factor = new ContributingFactor { Id = "f1", PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "Alerts page one person only" };

        Assert.IsTrue(RemovalRules.CanRemove(postmortem, factor, Adele), "the scribe removes");
        Assert.IsTrue(RemovalRules.CanEdit(postmortem, factor, Adele), "the scribe edits");
        Assert.IsFalse(RemovalRules.CanRemove(postmortem with { Scribe = null }, factor, Adele), "once no longer the scribe");
    }

    [TestMethod]
    public void OnlyAFullHttpsAddressIsAcceptedAsAWorkItemLink()
    {
        Assert.AreEqual("https://dev.azure.com/contoso/_workitems/edit/42", WorkItemLinks.Parse("  https://dev.azure.com/contoso/_workitems/edit/42 ").Link);
        Assert.AreEqual((null, null), WorkItemLinks.Parse("   "), "no link is fine");
        foreach (string refused in new[]
        {
            "javascript:alert(1)", "JavaScript:alert(document.cookie)", "http://tracker.example.com/1", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox", "file:///etc/passwd", "ftp://tracker.example.com/1", "//tracker.example.com/1", "tracker.example.com/1",
            "https://user:secret@tracker.example.com/1", "https://tracker.example.com/a b", "https://tracker.example.com/\r\nx", "https:/tracker.example.com",
            "https://tracker.example.com/" + new string('x', WorkItemLinks.MaxLength),
        })
        {
            var (link, error) = WorkItemLinks.Parse(refused);
            Assert.IsNull(link, refused);
            Assert.AreEqual("workItemLink", error?.Field, refused);
        }
    }

    [TestMethod]
    public void AnActionWithAnUnsafeLinkOrAnUnknownPriorityIsRefused()
    {
        var action = TestData.Action("pm") with { WorkItemLink = "javascript:alert(1)", Priority = (ActionPriority)7 };

        var errors = ActionItemRules.Validate(action, DateOnly.FromDateTime(DateTime.UtcNow), dueDateIsBeingSet: true);

        CollectionAssert.AreEquivalent(new[] { "workItemLink", "priority" }, errors.Select(e => e.Field).ToArray());
        StringAssert.Contains(errors.First(e => e.Field == "workItemLink").Message, "https");
    }

    [TestMethod]
    public void ActionsAreOrderedByDueDateThenPriorityThenWhenAdded()
    {
        var day = new DateOnly(2026, 12, 10);
        var now = DateTimeOffset.UtcNow;
        ActionItem Make(string title, DateOnly due, ActionPriority priority, int minute) =>
            TestData.Action("pm") with { Title = title, DueDate = due, Priority = priority, CreatedAt = now.AddMinutes(minute) };

        var ordered = ActionItemRules.InWorkOrder(
        [
            Make("low", day, ActionPriority.Low, 0), Make("next day high", day.AddDays(1), ActionPriority.High, 0),
            Make("medium later", day, ActionPriority.Medium, 5), Make("high", day, ActionPriority.High, 9), Make("medium", day, ActionPriority.Medium, 1),
        ]).Select(a => a.Title).ToArray();

        CollectionAssert.AreEqual(new[] { "high", "medium", "medium later", "low", "next day high" }, ordered);
        Assert.AreEqual(ActionPriority.Medium, TestData.Action("pm").Priority, "medium unless chosen");
    }

    [TestMethod]
    public void UndoTakesAFinishedActionBackToTheStatusItHad()
    {
        var now = DateTimeOffset.UtcNow;
        var done = TestData.Action("pm") with { Status = ActionStatus.Done };

        Assert.AreEqual(ActionStatus.InProgress, ActionItemRules.UndoFinish(done, ActionStatus.InProgress, now).Moved!.Status);
        Assert.AreEqual(ActionStatus.Open, ActionItemRules.UndoFinish(done with { Status = ActionStatus.WontDo }, ActionStatus.Open, now).Moved!.Status);
        Assert.IsNotNull(ActionItemRules.UndoFinish(done with { Status = ActionStatus.Open }, ActionStatus.Open, now).Error, "nothing to undo");
        Assert.IsNotNull(ActionItemRules.UndoFinish(done, ActionStatus.WontDo, now).Error, "undo goes back to unfinished only");
    }

    [TestMethod]
    public void MyActionsPlacesAHighPriorityActionBeforeAMediumOneDueTheSameDay()
    {
        var day = new DateOnly(2026, 12, 10);
        var created = DateTimeOffset.UtcNow;
        var high = new OwnedActionPosition(day, created.AddMinutes(5), "pm|b", ActionPriority.High);
        var medium = new OwnedActionPosition(day, created, "pm|a", ActionPriority.Medium);
        var earlierLow = new OwnedActionPosition(day.AddDays(-1), created, "pm|c", ActionPriority.Low);

        Assert.IsLessThan(0, OwnedActionPosition.Compare(high, medium));
        Assert.IsLessThan(0, OwnedActionPosition.Compare(earlierLow, high));
    }
}
