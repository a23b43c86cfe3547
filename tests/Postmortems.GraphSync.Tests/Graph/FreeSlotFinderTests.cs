using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Tests.Graph;

[TestClass]
public sealed class FreeSlotFinderTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly OrganizerHours UtcNineToFive = OrganizerHours.NineToFive(TimeZoneInfo.Utc);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // 2026-11-23 is a Monday.
    private static DateTimeOffset Utc(int day, int hour, int minute = 0, int month = 11) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [TestMethod]
    public void AFreeCalendarGetsTheFirstQuarterHourAfterNotBefore()
    {
        var slot = FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 10, 7), Hour, 5);

        Assert.AreEqual(Utc(23, 10, 15), slot);
    }

    [TestMethod]
    public void AStartAlreadyOnTheQuarterHourIsKept()
    {
        Assert.AreEqual(Utc(23, 10, 30), FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 10, 30), Hour, 5));
    }

    [TestMethod]
    public void BusyBlocksOfAnyoneAreSkipped()
    {
        BusyInterval[] organizer = [new(Utc(23, 9), Utc(23, 10))];
        BusyInterval[] attendee = [new(Utc(23, 10, 30), Utc(23, 11, 50))];

        var slot = FreeSlotFinder.FindFirstSlot(UtcNineToFive, [organizer, attendee], Utc(23, 8), Hour, 5);

        // 10:00-11:00 clashes with 10:30; the attendee is free again at 11:50, so 12:00 on the quarter-hour grid.
        Assert.AreEqual(Utc(23, 12), slot);
    }

    [TestMethod]
    public void ASlotMustEndBeforeTheWorkingDayEnds()
    {
        var slot = FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 16, 15), Hour, 5);

        Assert.AreEqual(Utc(24, 9), slot);
    }

    [TestMethod]
    public void BeforeWorkingHoursTheDayStartsAtItsFirstHour()
    {
        Assert.AreEqual(Utc(23, 9), FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 3), Hour, 5));
    }

    [TestMethod]
    public void TheWeekendIsSkipped()
    {
        // Friday 2026-11-27 after hours.
        var slot = FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(27, 17, 30), Hour, 5);

        Assert.AreEqual(Utc(30, 9), slot);
    }

    [TestMethod]
    public void WhenEveryWorkingDayIsFullThereIsNoSlot()
    {
        BusyInterval[] allWeek = [new(Utc(23, 0), Utc(30, 23))];

        Assert.IsNull(FreeSlotFinder.FindFirstSlot(UtcNineToFive, [allWeek], Utc(23, 9), Hour, 5));
    }

    [TestMethod]
    public void OnlyTheWorkingDaysAskedForAreSearched()
    {
        BusyInterval[] mondayAndTuesday = [new(Utc(23, 0), Utc(25, 0))];

        Assert.IsNull(FreeSlotFinder.FindFirstSlot(UtcNineToFive, [mondayAndTuesday], Utc(23, 9), Hour, 2));
        Assert.AreEqual(Utc(25, 9), FreeSlotFinder.FindFirstSlot(UtcNineToFive, [mondayAndTuesday], Utc(23, 9), Hour, 3));
    }

    [TestMethod]
    public void ADayWhoseHoursAreOverDoesNotCountAsASearchedDay()
    {
        // Monday after hours with one working day to search: Tuesday is that day.
        Assert.AreEqual(Utc(24, 9), FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 18), Hour, 1));
    }

    [TestMethod]
    public void WorkingHoursAreWallClockTimesInTheOrganizersZone()
    {
        var hours = OrganizerHours.NineToFive(NewYork);

        // Monday 2026-11-23 15:00Z is 10:00 in New York (EST, UTC-5).
        Assert.AreEqual(Utc(23, 14), FreeSlotFinder.FindFirstSlot(hours, [], Utc(23, 12), Hour, 5));
    }

    [TestMethod]
    public void TheSlotCarriesTheOrganizerZonesOffset()
    {
        var slot = FreeSlotFinder.FindFirstSlot(OrganizerHours.NineToFive(NewYork), [], Utc(23, 12), Hour, 5);

        Assert.AreEqual(TimeSpan.FromHours(-5), slot!.Value.Offset);
        Assert.AreEqual(9, slot.Value.Hour);
    }

    [TestMethod]
    public void TheDayDaylightSavingEndsInNewYorkIsHandled()
    {
        // Daylight saving ends on Sunday 2026-11-01 at 02:00 (EDT UTC-4 -> EST UTC-5). Friday 09:00 is 13:00Z; the next
        // working day, Monday 2026-11-02, starts at 09:00 EST = 14:00Z.
        var hours = OrganizerHours.NineToFive(NewYork);

        Assert.AreEqual(Utc(30, 13, month: 10), FreeSlotFinder.FindFirstSlot(hours, [], Utc(30, 12, month: 10), Hour, 5));
        Assert.AreEqual(Utc(2, 14), FreeSlotFinder.FindFirstSlot(hours, [], Utc(30, 21, month: 10), Hour, 5));
    }

    [TestMethod]
    public void OnTheChangeoverDayItselfTheWorkingDayStartsOnTheNewOffset()
    {
        var everyDay = new OrganizerHours(NewYork, Enum.GetValues<DayOfWeek>().ToHashSet(), new TimeOnly(9, 0), new TimeOnly(17, 0));

        // Saturday 31 October: 09:00 EDT = 13:00Z; Sunday 1 November: 09:00 EST = 14:00Z.
        Assert.AreEqual(Utc(31, 13, month: 10), FreeSlotFinder.FindFirstSlot(everyDay, [], Utc(31, 0, month: 10), Hour, 1));
        Assert.AreEqual(Utc(1, 14), FreeSlotFinder.FindFirstSlot(everyDay, [], Utc(31, 22, month: 10), Hour, 1));
    }

    [TestMethod]
    public void TheRepeatedHourOnTheChangeoverNightIsItsFirstOccurrence()
    {
        var night = new OrganizerHours(NewYork, new HashSet<DayOfWeek> { DayOfWeek.Sunday }, new TimeOnly(1, 0), new TimeOnly(4, 0));

        // 01:00 happens twice on 1 November; the first time is 01:00 EDT = 05:00Z. The window 01:00 EDT - 04:00 EST is
        // four hours long, so a busy first hour still leaves room.
        Assert.AreEqual(Utc(1, 5), FreeSlotFinder.FindFirstSlot(night, [], Utc(1, 0), Hour, 1));
        BusyInterval[] firstTwoHours = [new(Utc(1, 5), Utc(1, 7))];
        Assert.AreEqual(Utc(1, 7), FreeSlotFinder.FindFirstSlot(night, [firstTwoHours], Utc(1, 0), Hour, 1));
    }

    [TestMethod]
    public void TheSkippedHourInSpringMovesForward()
    {
        // 2026-03-08: New York clocks jump from 02:00 to 03:00; a working day "starting" at 02:30 starts at 03:30 EDT.
        var local = new DateTime(2026, 3, 8, 2, 30, 0);

        Assert.AreEqual(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), FreeSlotFinder.ToInstant(local, NewYork));
    }

    [TestMethod]
    public void NoSlotIsProposedPastTheKnownCalendar()
    {
        Assert.IsNull(FreeSlotFinder.FindFirstSlot(UtcNineToFive, [], Utc(23, 16, 30), Hour, 5, searchUntil: Utc(24, 9, 30)));
    }
}
