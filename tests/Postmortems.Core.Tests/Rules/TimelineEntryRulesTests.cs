using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Rules;

[TestClass]
public sealed class TimelineEntryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void CompleteEntryIsValid()
    {
        Assert.IsEmpty(TimelineEntryRules.Validate(TestData.TimelineEntry("pm1"), Now));
    }

    [TestMethod]
    public void EntryWithoutActorOrDescriptionSaysWhatIsMissing()
    {
        var entry = TestData.TimelineEntry("pm1") with { Actor = " ", Description = "" };

        var errors = TimelineEntryRules.Validate(entry, Now);

        CollectionAssert.AreEquivalent(new[] { "actor", "description" }, errors.Select(e => e.Field).ToArray());
        Assert.AreEqual("Please add who acted (a person, a team or a system).", errors.Single(e => e.Field == "actor").Message);
    }

    [TestMethod]
    public void OversizedTextIsRefusedWithItsLengthAndTheLimit()
    {
        var entry = TestData.TimelineEntry("pm1") with { Outcome = new string('x', 2001) };

        var error = TimelineEntryRules.Validate(entry, Now).Single();

        Assert.AreEqual("outcome", error.Field);
        Assert.AreEqual("The outcome is 2,001 characters long; the limit is 2,000. Please shorten it.", error.Message);
    }

    [TestMethod]
    public void ControlCharactersAreRefusedButNewLinesAreFine()
    {
        var withNul = TestData.TimelineEntry("pm1") with { Description = "rolled\0back" };
        var withLines = TestData.TimelineEntry("pm1") with { Description = "rolled back\r\n\tthen restarted" };

        Assert.AreEqual("description", TimelineEntryRules.Validate(withNul, Now).Single().Field);
        Assert.IsEmpty(TimelineEntryRules.Validate(withLines, Now));
    }

    [TestMethod]
    [DataRow("Europe/Paris")]
    [DataRow("W. Europe Standard Time")]
    [DataRow("UTC")]
    public void IanaAndWindowsTimeZonesAreAccepted(string zone)
    {
        Assert.IsEmpty(TimelineEntryRules.Validate(TestData.TimelineEntry("pm1") with { TimeZone = zone }, Now));
    }

    [TestMethod]
    public void UnknownTimeZoneIsRefused()
    {
        var entry = TestData.TimelineEntry("pm1") with { TimeZone = "Mars/Olympus_Mons" };

        Assert.AreEqual("timeZone", TimelineEntryRules.Validate(entry, Now).Single().Field);
    }

    [TestMethod]
    public void EntryDatedNextWeekIsRefused()
    {
        var entry = TestData.TimelineEntry("pm1") with { OccurredAt = Now.AddDays(7) };

        Assert.AreEqual("occurredAt", TimelineEntryRules.Validate(entry, Now).Single().Field);
    }
}
