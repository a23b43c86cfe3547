using Postmortems.Core.Actions;
using Postmortems.Bot.Reminders;

namespace Postmortems.Bot.Tests.Reminders;

[TestClass]
public sealed class ReminderPlannerTests
{
    private static readonly DateOnly Due = new(2026, 12, 3);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static string[] Keys(DateOnly due, DateTimeOffset now, string? zone, ReminderOptions? options = null, ActionStatus status = ActionStatus.Open) =>
        [.. ReminderPlanner.DueForAction(due, status, zone, now, options ?? new ReminderOptions()).Select(o => o.Key)];

    [TestMethod]
    public void TwoDaysBeforeAt9InTheOwnersZoneAndNotAMinuteEarlier()
    {
        // 09:00 in Kolkata (UTC+5:30) is 03:30 UTC.
        CollectionAssert.AreEqual(Array.Empty<string>(), Keys(Due, Utc(12, 1, 3, 29), "Asia/Kolkata"));
        CollectionAssert.AreEqual(new[] { "before-2026-12-03" }, Keys(Due, Utc(12, 1, 3, 30), "Asia/Kolkata"));
        var occasion = ReminderPlanner.DueForAction(Due, ActionStatus.Open, "Asia/Kolkata", Utc(12, 1, 3, 30), new ReminderOptions()).Single();
        Assert.AreEqual(new DateTime(2026, 12, 1, 9, 0, 0), occasion.LocalSendAt);
    }

    [TestMethod]
    public void OnTheDueDateAndWeeklyWhileOverdue()
    {
        CollectionAssert.AreEqual(new[] { "due-2026-12-03" }, Keys(Due, Utc(12, 3, 9), "UTC"));
        CollectionAssert.AreEqual(new[] { "overdue-2026-12-03-1" }, Keys(Due, Utc(12, 4, 9), "UTC"));
        CollectionAssert.AreEqual(Array.Empty<string>(), Keys(Due, Utc(12, 6, 9), "UTC"));
        CollectionAssert.AreEqual(new[] { "overdue-2026-12-03-2" }, Keys(Due, Utc(12, 11, 9), "UTC"));
        CollectionAssert.AreEqual(new[] { "overdue-2026-12-03-3" }, Keys(Due, Utc(12, 18, 9), "UTC"));
    }

    [TestMethod]
    public void InProgressIsRemindedDoneAndWontDoAreNot()
    {
        Assert.AreEqual(1, Keys(Due, Utc(12, 3, 9), "UTC", status: ActionStatus.InProgress).Length);
        Assert.AreEqual(0, Keys(Due, Utc(12, 3, 9), "UTC", status: ActionStatus.Done).Length);
        Assert.AreEqual(0, Keys(Due, Utc(12, 3, 9), "UTC", status: ActionStatus.WontDo).Length);
    }

    [TestMethod]
    public void AnOccasionStaysDueForADayThenLapses()
    {
        CollectionAssert.AreEqual(new[] { "due-2026-12-03" }, Keys(Due, Utc(12, 3, 19, 59), "UTC"));
        // 20:00 to 08:00 is quiet: nothing then, but the morning after (within the day) it is still due.
        CollectionAssert.AreEqual(Array.Empty<string>(), Keys(Due, Utc(12, 3, 20), "UTC"));
        CollectionAssert.AreEqual(new[] { "due-2026-12-03" }, Keys(Due, Utc(12, 4, 8, 59), "UTC"));
        // A day after its time it is gone: the next one (overdue) is due instead.
        CollectionAssert.AreEqual(new[] { "overdue-2026-12-03-1" }, Keys(Due, Utc(12, 4, 9), "UTC"));
        CollectionAssert.AreEqual(Array.Empty<string>(), Keys(Due, Utc(12, 5, 9), "UTC"));
    }

    [TestMethod]
    public void ASendTimeInsideQuietHoursMovesToTheirEnd()
    {
        var evening = new ReminderOptions { SendAt = "21:30", QuietHoursStart = "21:00", QuietHoursEnd = "07:30" };
        var occasion = ReminderPlanner.DueForAction(Due, ActionStatus.Open, "Europe/Paris", Utc(12, 4, 6, 30), evening).Single();
        Assert.AreEqual("due-2026-12-03", occasion.Key);
        Assert.AreEqual(new DateTime(2026, 12, 4, 7, 30, 0), occasion.LocalSendAt, "the morning after, 07:30 in Paris");
        Assert.AreEqual(0, Keys(Due, Utc(12, 4, 6, 29), "Europe/Paris", evening).Length);

        var early = new ReminderOptions { SendAt = "06:00", QuietHoursStart = "22:00", QuietHoursEnd = "08:00" };
        Assert.AreEqual(new DateTime(2026, 12, 3, 8, 0, 0), ReminderPlanner.DueForAction(Due, ActionStatus.Open, "UTC", Utc(12, 3, 8), early).Single().LocalSendAt);

        var daytimeQuiet = new ReminderOptions { SendAt = "12:30", QuietHoursStart = "12:00", QuietHoursEnd = "13:00" };
        Assert.AreEqual(new DateTime(2026, 12, 3, 13, 0, 0), ReminderPlanner.DueForAction(Due, ActionStatus.Open, "UTC", Utc(12, 3, 13), daytimeQuiet).Single().LocalSendAt);

        Assert.IsFalse(ReminderPlanner.IsQuiet(new TimeOnly(3, 0), new ReminderOptions { QuietHoursStart = "00:00", QuietHoursEnd = "00:00" }), "equal times: no quiet hours");
    }

    [TestMethod]
    public void LosAngelesAcrossTheSpringDstChange()
    {
        // DST starts in Los Angeles on Sunday 8 March 2026: 09:00 is 17:00 UTC before, 16:00 UTC after.
        var due = new DateOnly(2026, 3, 9);
        var before = ReminderPlanner.DueForAction(due, ActionStatus.Open, "America/Los_Angeles", Utc(3, 7, 17), new ReminderOptions()).Single();
        Assert.AreEqual(("before-2026-03-09", Utc(3, 7, 17)), (before.Key, before.SendAt.ToUniversalTime()));
        var onDue = ReminderPlanner.DueForAction(due, ActionStatus.Open, "America/Los_Angeles", Utc(3, 9, 16), new ReminderOptions()).Single();
        Assert.AreEqual(("due-2026-03-09", Utc(3, 9, 16)), (onDue.Key, onDue.SendAt.ToUniversalTime()));
        Assert.AreEqual(0, Keys(due, Utc(3, 9, 15, 59), "America/Los_Angeles").Length);
    }

    [TestMethod]
    public void ATimeTheClocksSkipIsSentJustAfterTheJump()
    {
        var night = new ReminderOptions { SendAt = "02:30", QuietHoursStart = "00:00", QuietHoursEnd = "00:00", DaysBefore = 0 };
        var occasion = ReminderPlanner.DueForAction(new DateOnly(2026, 3, 8), ActionStatus.Open, "America/Los_Angeles", Utc(3, 8, 11), night).Single();
        Assert.AreEqual(Utc(3, 8, 10, 30), occasion.SendAt.ToUniversalTime(), "02:30 does not exist that night: 03:30 PDT");
    }

    [TestMethod]
    public void AucklandAcrossTheAutumnDstChange()
    {
        // DST ends in Auckland on Sunday 5 April 2026: 09:00 is 20:00 UTC the day before (NZDT, +13), then 21:00 (NZST, +12).
        var due = new DateOnly(2026, 4, 6);
        var before = ReminderPlanner.DueForAction(due, ActionStatus.Open, "Pacific/Auckland", Utc(4, 3, 20), new ReminderOptions()).Single();
        Assert.AreEqual(("before-2026-04-06", new DateTime(2026, 4, 4, 9, 0, 0)), (before.Key, before.LocalSendAt));
        Assert.AreEqual(0, Keys(due, Utc(4, 5, 20), "Pacific/Auckland").Length);
        Assert.AreEqual("due-2026-04-06", Keys(due, Utc(4, 5, 21), "Pacific/Auckland").Single());
    }

    [TestMethod]
    public void AnUnknownZoneIsUtcAndDaysBeforeZeroSendsNothingEarly()
    {
        CollectionAssert.AreEqual(new[] { "due-2026-12-03" }, Keys(Due, Utc(12, 3, 9), "Mars/Olympus_Mons"));
        Assert.AreEqual(0, Keys(Due, Utc(12, 1, 9), "UTC", new ReminderOptions { DaysBefore = 0 }).Length);
        CollectionAssert.AreEqual(new[] { "before-2026-12-03" }, Keys(Due, Utc(11, 26, 9), "UTC", new ReminderOptions { DaysBefore = 7 }));
    }

    [TestMethod]
    public void TheDigestGoesOutOnTheDigestDayInTheFacilitatorsZone()
    {
        // Monday 30 November 2026, 09:00 in Kolkata = 03:30 UTC.
        Assert.IsNull(ReminderPlanner.DueDigest("Asia/Kolkata", Utc(11, 30, 3, 29), new ReminderOptions()));
        Assert.AreEqual("digest-2026-11-30", ReminderPlanner.DueDigest("Asia/Kolkata", Utc(11, 30, 3, 30), new ReminderOptions())!.Key);
        Assert.IsNull(ReminderPlanner.DueDigest("Asia/Kolkata", Utc(12, 1, 3, 30), new ReminderOptions()));
        Assert.AreEqual("digest-2026-12-04", ReminderPlanner.DueDigest("UTC", Utc(12, 4, 9), new ReminderOptions { DigestDay = DayOfWeek.Friday })!.Key);
    }
}
