using Postmortems.Bot.Reminders;
using Postmortems.Bot.Tests.Cards;
using Postmortems.Core.Actions;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

[TestClass]
[TestCategory("Integration")]
public sealed class ReminderCardTests
{
    private static readonly DateOnly Today = new(2026, 12, 10);

    private static ActionItem Largest(ActionStatus status, DateOnly due) =>
        TestData.Action("0000000000000000aaaa") with { Title = new string('x', 300), Status = status, DueDate = due, ETag = "W/\"datetime'2026-12-01T00%3A00%3A00.000Z'\"" };

    [TestMethod]
    public async Task EveryReminderCardPassesTheOfficialCheck()
    {
        string title = new('p', 200);
        var digest = new FacilitatorDigest("f", "digest-2026-12-07", "UTC",
            [.. Enumerable.Range(0, 25).Select(i => new DigestLine("pm" + i, new string('t', 200), 12, 3, 4))]);
        await CardAssert.PassesOfficialCheckAsync(
            ReminderCards.Reminder(Largest(ActionStatus.Open, Today.AddDays(2)), title, Today),
            ReminderCards.Reminder(Largest(ActionStatus.InProgress, Today.AddDays(-8)), title, Today, "Someone changed this action a moment ago.", bannerIsProblem: true, dueDateError: "That date is in the past. Please choose today or a later date."),
            ReminderCards.Reminder(Largest(ActionStatus.Done, Today), title, Today, "Marked done. Thank you for seeing it through."),
            ReminderCards.Digest(digest));
    }

    [TestMethod]
    public void TheHeadingSaysWhenInWords()
    {
        Assert.AreEqual("Your action is due in 2 days", ReminderCards.Heading(Today.AddDays(2), Today));
        Assert.AreEqual("Your action is due today", ReminderCards.Heading(Today, Today));
        Assert.AreEqual("Your action is overdue by 1 day", ReminderCards.Heading(Today.AddDays(-1), Today));
        Assert.AreEqual("Your action is overdue by 8 days", ReminderCards.Heading(Today.AddDays(-8), Today));
    }
}
