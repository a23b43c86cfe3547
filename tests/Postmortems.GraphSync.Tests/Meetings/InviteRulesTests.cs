using Postmortems.Core.Common;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Tests.Meetings;

/// <summary>What makes a meeting invite one that can be sent.</summary>
[TestClass]
public sealed class InviteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Person Alex = new("alex", "Alex Wilber");
    private static readonly Person Megan = new("megan", "Megan Bowen");

    private static InviteChoices Valid() => new()
    {
        Subject = "Postmortem: Checkout outage",
        Date = new DateOnly(2026, 12, 3),
        Time = new TimeOnly(10, 0),
        TimeZone = "UTC",
        DurationMinutes = 60,
        Organizer = Alex,
        Attendees = [Alex, Megan],
    };

    private static FieldError Single(InviteChoices choices) => InviteRules.Validate(choices, Now).Single();

    [TestMethod]
    public void AnInviteWithSubjectFutureStartLengthOrganizerAndAttendeesCanBeSent() =>
        Assert.IsEmpty(InviteRules.Validate(Valid(), Now));

    [TestMethod]
    public void TheStartIsReadOnTheWallClockOfTheChosenZone()
    {
        var start = InviteRules.StartOf(Valid() with { TimeZone = "Europe/Berlin" });

        Assert.AreEqual(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), start);
    }

    [TestMethod]
    public void AStartThatHasPassedIsRefused()
    {
        var error = Single(Valid() with { Date = new DateOnly(2026, 12, 2), Time = new TimeOnly(8, 59) });

        Assert.AreEqual("time", error.Field);
        StringAssert.Contains(error.Message, "already passed");
    }

    [TestMethod]
    public void AStartOnlyMinutesAwayIsTooSoonForPeopleToJoin()
    {
        var error = Single(Valid() with { Date = new DateOnly(2026, 12, 2), Time = new TimeOnly(9, 4) });

        Assert.AreEqual("time", error.Field);
        StringAssert.Contains(error.Message, "too soon");
        Assert.IsEmpty(InviteRules.Validate(Valid() with { Date = new DateOnly(2026, 12, 2), Time = new TimeOnly(9, 5) }, Now));
    }

    [TestMethod]
    public void AStartMoreThanAYearAwayIsRefused()
    {
        var error = Single(Valid() with { Date = new DateOnly(2027, 12, 4) });

        Assert.AreEqual("date", error.Field);
    }

    [TestMethod]
    public void AMissingDateOrTimeIsAskedForAndTheStartIsNotJudged()
    {
        var errors = InviteRules.Validate(Valid() with { Date = null, Time = null }, Now);

        CollectionAssert.AreEqual(new[] { "date", "time" }, errors.Select(e => e.Field).ToArray());
        Assert.IsNull(InviteRules.StartOf(Valid() with { Time = null }));
    }

    [TestMethod]
    public void OnlyTheOfferedLengthsAreAccepted()
    {
        Assert.AreEqual("duration", Single(Valid() with { DurationMinutes = 30 }).Field);
        Assert.AreEqual("duration", Single(Valid() with { DurationMinutes = null }).Field);
        foreach (int minutes in InviteRules.Durations)
        {
            Assert.IsEmpty(InviteRules.Validate(Valid() with { DurationMinutes = minutes }, Now));
        }
    }

    [TestMethod]
    public void AnInviteNeedsASubjectThatFitsAndAnOrganizer()
    {
        Assert.AreEqual("subject", Single(Valid() with { Subject = string.Empty }).Field);
        Assert.AreEqual("subject", Single(Valid() with { Subject = new string('s', TextLimits.Title + 1) }).Field);
        Assert.AreEqual("organizer", Single(Valid() with { Organizer = null }).Field);
    }

    [TestMethod]
    public void TooManyAttendeesAskForAGroupAndAnAttendeeNotFoundIsReported()
    {
        StringAssert.Contains(Single(Valid() with { Attendees = null }).Message, $"at most {InviteRules.MaxAttendees} people");
        StringAssert.Contains(Single(Valid() with { AttendeesNotFound = 1 }).Message, "couldn't be found");
    }

    [TestMethod]
    public void TheOrganizerIsNotInvitedToTheirOwnMeetingAndTheOpenGroupIsOptional()
    {
        var organizer = new Attendee("alex", "Alex Wilber", "alex@contoso.com");
        var invited = InviteRules.Invited(organizer, [organizer, new Attendee("megan", "Megan Bowen")], "learning@contoso.com");

        CollectionAssert.AreEqual(new[] { "megan", "learning@contoso.com" }, invited.Select(a => a.ObjectId).ToArray());
        Assert.IsTrue(invited[1].IsOptional);
        Assert.IsEmpty(InviteRules.Invited(organizer, [organizer], null));
    }
}
