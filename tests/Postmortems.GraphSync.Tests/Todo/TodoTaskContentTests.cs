using Postmortems.Core.Actions;
using Postmortems.GraphSync.ActionFollowers;
using Postmortems.GraphSync.Todo;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Todo;

/// <summary>What the owner's To Do task says about an action's priority and work item link, and when it is resent.</summary>
[TestClass]
public sealed class TodoTaskContentTests
{
    [TestMethod]
    public void TheTaskBodyNamesThePriorityAndTheWorkItemLink()
    {
        var action = TestData.Action("pm") with { Priority = ActionPriority.High, WorkItemLink = "https://tracker.example.com/items/42" };

        var content = TodoSyncHandler.ContentOf(action, "Checkout outage", new Uri("https://teams.example.com/tab/pm"));

        StringAssert.Contains(content.Body, "Priority: high.");
        StringAssert.Contains(content.Body, "Work item: https://tracker.example.com/items/42");
    }

    [TestMethod]
    public void AnUnsafeStoredLinkNeverReachesTheTask()
    {
        var action = TestData.Action("pm") with { WorkItemLink = "javascript:alert(1)" };

        var content = TodoSyncHandler.ContentOf(action, "Checkout outage", null);

        Assert.DoesNotContain("javascript", content.Body);
        StringAssert.Contains(content.Body, "Priority: medium.");
    }

    [TestMethod]
    public void AChangedPriorityOrLinkUpdatesTheTask()
    {
        var action = TestData.Action("pm");

        Assert.IsTrue(TodoTaskFollower.TaskShowsChange(action, action with { Priority = ActionPriority.Low }));
        Assert.IsTrue(TodoTaskFollower.TaskShowsChange(action, action with { WorkItemLink = "https://tracker.example.com/items/7" }));
        Assert.IsFalse(TodoTaskFollower.TaskShowsChange(action, action with { Category = Core.Remediation.RemediationCategory.Detect }));
    }
}
