using Postmortems.Core.Actions;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

[TestClass]
public sealed class ActionItemRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [TestMethod]
    public void ActionWithOwnerAndDueDateIsValid()
    {
        var action = TestData.Action("pm1") with { DueDate = Today.AddDays(7) };

        Assert.IsEmpty(ActionItemRules.Validate(action, Today, dueDateIsBeingSet: true));
    }

    [TestMethod]
    public void ActionWithoutOwnerAsksForAnOwner()
    {
        var action = TestData.Action("pm1") with { Owner = null, DueDate = Today };

        var error = ActionItemRules.Validate(action, Today, true).Single();

        Assert.AreEqual("owner", error.Field);
        Assert.AreEqual("Please choose an owner.", error.Message);
    }

    [TestMethod]
    public void ActionWithoutDueDateAsksForADate()
    {
        var action = TestData.Action("pm1") with { DueDate = null };

        var error = ActionItemRules.Validate(action, Today, true).Single();

        Assert.AreEqual("dueDate", error.Field);
        StringAssert.Contains(error.Message, "Please choose a due date");
    }

    [TestMethod]
    public void NewDueDateInThePastIsRefusedButAnOverdueActionCanStillBeUpdated()
    {
        var action = TestData.Action("pm1") with { DueDate = Today.AddDays(-1) };

        Assert.AreEqual("dueDate", ActionItemRules.Validate(action, Today, dueDateIsBeingSet: true).Single().Field);
        Assert.IsEmpty(ActionItemRules.Validate(action, Today, dueDateIsBeingSet: false));
    }

    [TestMethod]
    [DataRow("Be more careful when deploying")]
    [DataRow("Everyone should pay attention to the alerts")]
    [DataRow("pay more attention")]
    [DataRow("Try harder next time")]
    [DataRow("Don't make mistakes in config")]
    [DataRow("Be careful!")]
    [DataRow("Double-check the config before pushing")]
    public void WishesInsteadOfChangesAreRefusedWithAnExplanation(string title)
    {
        var action = TestData.Action("pm1") with { Title = title, DueDate = Today };

        var error = ActionItemRules.Validate(action, Today, true).Single();

        Assert.AreEqual("title", error.Field);
        StringAssert.Contains(error.Message, "asks people to try harder");
        StringAssert.Contains(error.Message, "a change to a system, a process, a tool or a signal");
    }

    [TestMethod]
    [DataRow("Add an alert so nobody has to pay attention to disk space")]
    [DataRow("Automate the config check so on-call need not be careful by hand")]
    [DataRow("Route configuration changes through the canary stage")]
    [DataRow("Careful rollout: canary 1% first")]
    public void RealChangesAreAccepted(string title)
    {
        var action = TestData.Action("pm1") with { Title = title, DueDate = Today };

        Assert.IsEmpty(ActionItemRules.Validate(action, Today, true));
    }

    [TestMethod]
    public void FinishedActionMustBeReopenedBeforeItMovesOn()
    {
        var done = TestData.Action("pm1") with { Status = ActionStatus.Done };

        var (moved, error) = ActionItemRules.MoveTo(done, ActionStatus.InProgress, DateTimeOffset.UtcNow);
        var (reopened, noError) = ActionItemRules.MoveTo(done, ActionStatus.Open, DateTimeOffset.UtcNow);

        Assert.IsNull(moved);
        Assert.AreEqual("This action is finished. Reopen it first, then change its status.", error!.Message);
        Assert.AreEqual(ActionStatus.Open, reopened!.Status);
        Assert.IsNull(noError);
    }

    [TestMethod]
    public void OpenActionCanMoveToAnyStatus()
    {
        foreach (var to in Enum.GetValues<ActionStatus>())
        {
            Assert.IsTrue(ActionItemRules.CanMove(ActionStatus.Open, to), $"open -> {to}");
            Assert.IsTrue(ActionItemRules.CanMove(ActionStatus.InProgress, to), $"in progress -> {to}");
        }
    }

    [TestMethod]
    public void OverdueMeansOpenOrInProgressAndPastItsDate()
    {
        var late = TestData.Action("pm1") with { DueDate = Today.AddDays(-1) };

        Assert.IsTrue(ActionItemRules.IsOverdue(late, Today));
        Assert.IsFalse(ActionItemRules.IsOverdue(late with { Status = ActionStatus.Done }, Today));
        Assert.IsFalse(ActionItemRules.IsOverdue(late with { DueDate = Today }, Today));
    }
}
