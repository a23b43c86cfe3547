using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

/// <summary>The rules of saving an action from a form: what an edit keeps, and when the due date is checked.</summary>
[TestClass]
public sealed class ActionSaveRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void EditingAnActionKeepsItsAuthorCreationStatusAndIdeaAndRecordsWhenItChanged()
    {
        var stored = TestData.Action("pm1") with { Status = ActionStatus.InProgress, CreatedFromIdeaId = "idea1", ETag = "W/\"stored\"" };
        var fromForm = stored with
        {
            Author = new Person("someone-else", "Someone else"),
            CreatedAt = Now,
            Title = "Alert when checkout errors pass 2%",
            Status = ActionStatus.Open,
            CreatedFromIdeaId = null,
            ETag = "W/\"card\"",
        };

        var edited = ActionItemRules.Edit(stored, fromForm, Now);

        Assert.AreEqual("Alert when checkout errors pass 2%", edited.Title);
        Assert.AreEqual(stored.Author, edited.Author);
        Assert.AreEqual(stored.CreatedAt, edited.CreatedAt);
        Assert.AreEqual(ActionStatus.InProgress, edited.Status);
        Assert.AreEqual("idea1", edited.CreatedFromIdeaId);
        Assert.AreEqual(Now, edited.UpdatedAt);
        Assert.AreEqual("W/\"card\"", edited.ETag, "The version the card showed is the one written against.");
    }

    [TestMethod]
    public void AnEditFromACardWithoutAVersionUsesTheStoredOne()
    {
        var stored = TestData.Action("pm1") with { ETag = "W/\"stored\"" };

        var edited = ActionItemRules.Edit(stored, stored with { ETag = null }, Now);

        Assert.AreEqual("W/\"stored\"", edited.ETag);
    }

    [TestMethod]
    public void AnOverdueActionCanBeEditedWithoutMovingItsDueDate()
    {
        var stored = TestData.Action("pm1") with { DueDate = Today.AddDays(-3) };

        Assert.IsEmpty(ActionItemRules.ValidateSave(stored, stored with { Title = "Add a disk space alert" }, Today));
    }

    [TestMethod]
    public void MovingADueDateIntoThePastIsRefused()
    {
        var stored = TestData.Action("pm1") with { DueDate = Today.AddDays(-3) };

        var error = ActionItemRules.ValidateSave(stored, stored with { DueDate = Today.AddDays(-1) }, Today).Single();

        Assert.AreEqual("dueDate", error.Field);
    }

    [TestMethod]
    public void ANewActionDueInThePastIsRefused()
    {
        var action = TestData.Action("pm1") with { DueDate = Today.AddDays(-1) };

        Assert.AreEqual("dueDate", ActionItemRules.ValidateSave(null, action, Today).Single().Field);
    }

    [TestMethod]
    public void ATitleThatAsksPeopleToTryHarderIsAWishNotAnAction()
    {
        Assert.IsTrue(ActionItemRules.IsWish(TestData.Action("pm1") with { Title = "Be more careful with config" }));
        Assert.IsFalse(ActionItemRules.IsWish(TestData.Action("pm1") with { Title = "Add an alert so nobody has to pay attention to disk space" }));
    }
}
