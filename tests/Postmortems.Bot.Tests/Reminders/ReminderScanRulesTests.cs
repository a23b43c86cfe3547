using Postmortems.Core.Actions;
using Postmortems.Bot.Reminders;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

/// <summary>The rules the reminder scan applies to what it reads: stale rows, the digest's lines, what it reads at all.</summary>
[TestClass]
public sealed class ReminderScanRulesTests
{
    private static readonly DateOnly Due = new(2026, 12, 3);
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static ActionItem Open(DateOnly? due = null) => TestData.Action("pm1") with { DueDate = due ?? Due };

    [TestMethod]
    public void AnOpenOwnedActionStillOnItsFiledDueDateIsStillDue() =>
        Assert.IsTrue(ReminderPlanner.IsStillDue(Open(), Due));

    [TestMethod]
    public void AFinishedGoneOrRedatedActionMakesItsRowStale()
    {
        Assert.IsFalse(ReminderPlanner.IsStillDue(null, Due), "gone");
        Assert.IsFalse(ReminderPlanner.IsStillDue(Open() with { Status = ActionStatus.Done }, Due), "done");
        Assert.IsFalse(ReminderPlanner.IsStillDue(Open() with { Status = ActionStatus.WontDo }, Due), "won't do");
        Assert.IsFalse(ReminderPlanner.IsStillDue(Open() with { Owner = null }, Due), "nobody owns it");
        Assert.IsFalse(ReminderPlanner.IsStillDue(Open(Due.AddDays(7)), Due), "re-dated since it was filed");
    }

    [TestMethod]
    public void TheScanReadsTheDaysUpToTomorrowInUtc()
    {
        // 23:30 UTC is already the next day in UTC+14: that day's reminders are filed under tomorrow.
        Assert.AreEqual(new DateOnly(2026, 12, 5), ReminderPlanner.LastDayToRead(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero)));
    }

    [TestMethod]
    public void ADigestLineCountsOpenOverdueAndDoneInTheLastSevenDays()
    {
        ActionItem[] actions =
        [
            Open(Due),
            Open(new DateOnly(2026, 12, 7)) with { Status = ActionStatus.InProgress },
            Open() with { Status = ActionStatus.Done, UpdatedAt = Now.AddDays(-6) },
            Open() with { Status = ActionStatus.Done, UpdatedAt = Now.AddDays(-8) },
            Open() with { Status = ActionStatus.WontDo },
        ];
        var postmortem = TestData.Postmortem();

        var line = ReminderPlanner.DigestLineOf(postmortem, actions, "UTC", Now);

        Assert.AreEqual(new DigestLine(postmortem.Id, postmortem.Title, Open: 2, Overdue: 1, DoneThisWeek: 1), line);
    }

    [TestMethod]
    public void APostmortemStaysInTheDigestWhileAnOpenActionHasAnOwner()
    {
        Assert.IsTrue(ReminderPlanner.StaysInDigest([Open() with { Status = ActionStatus.Done }, Open()]));
        Assert.IsFalse(ReminderPlanner.StaysInDigest([Open() with { Status = ActionStatus.Done }, Open() with { Owner = null }]));
        Assert.IsFalse(ReminderPlanner.StaysInDigest([]));
    }
}
