using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;
using static Postmortems.GraphSync.Tests.Graph.GraphTestSupport;

namespace Postmortems.GraphSync.Tests.Graph;

[TestClass]
[TestCategory("Integration")]
public sealed class GraphSlotProposalTests
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly FakeWorkingHours EasternNineToFive = new("Eastern Standard Time", new TimeOnly(9, 0), new TimeOnly(17, 0), Weekdays);
    private static readonly Attendee Amy = new("amy-oid", "Amy Adams", "amy@contoso.test");
    private static readonly Attendee Ben = new("ben-oid", "Ben Brown", "ben@contoso.test");

    // Monday 2026-11-23 09:00 in New York (EST) is 14:00Z.
    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.Zero);

    private static SlotRequest Request(DateTimeOffset notBefore, params Attendee[] attendees) =>
        new(Organizer, attendees, notBefore, TimeSpan.FromHours(1), FallbackTimeZone: "Asia/Kolkata");

    [TestMethod]
    public async Task ProposingATimeAsksGetScheduleForEveryoneInUtcQuarterHours()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        await gateway.ProposeSlotAsync(Request(Utc(23, 13, 2), Amy, Ben), CancellationToken.None);

        var request = server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("/v1.0/users/org-oid/calendar/getSchedule", request.Path);
        // The SDK spells this action's parameters in PascalCase ("Schedules"), as Graph's metadata does; Graph accepts any case.
        var json = JsonIgnoringCase(request);
        CollectionAssert.AreEqual(
            new[] { "olivia@contoso.test", "amy@contoso.test", "ben@contoso.test" },
            json["schedules"]!.AsArray().Select(Text).ToArray());
        Assert.AreEqual("2026-11-23T13:15:00", Text(json["startTime"]!["dateTime"]));
        Assert.AreEqual("UTC", Text(json["startTime"]!["timeZone"]));
        Assert.AreEqual("UTC", Text(json["endTime"]!["timeZone"]));
        Assert.IsGreaterThanOrEqualTo(
            Utc(30, 23),
            DateTimeOffset.Parse(Text(json["endTime"]!["dateTime"])! + "Z", System.Globalization.CultureInfo.InvariantCulture),
            "The window covers five working days, the weekend between included.");
        Assert.AreEqual(15, json["availabilityViewInterval"]!.GetValue<int>());
    }

    [TestMethod]
    public async Task AfterHoursInNewYorkTheProposalIsNineTheNextMorningThereNotInTheRequestersZone()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = EasternNineToFive });
        var gateway = new GraphMeetingGateway(Client(server));

        // Monday 17:30 in New York: the day's hours are over.
        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 22, 30), Amy), CancellationToken.None);

        Assert.AreEqual(Utc(24, 14), proposal.Start);
        Assert.AreEqual("Eastern Standard Time", proposal.OrganizerTimeZone);
        Assert.IsTrue(proposal.EveryoneFree);
        Assert.IsNull(proposal.Note);

        // And the invite made from it is 09:00 New York time.
        await gateway.CreateEventAsync(Invite(start: proposal.Start, timeZone: proposal.OrganizerTimeZone), new InviteBody("<p>x</p>", "x"), CancellationToken.None);
        var start = Json(server.Requests.Last())["start"]!;
        Assert.AreEqual("2026-11-24T09:00:00", Text(start["dateTime"]));
        Assert.AreEqual("Eastern Standard Time", Text(start["timeZone"]));
    }

    [TestMethod]
    public async Task AnIanaWorkingHoursZoneIsUsedAsGraphGaveIt()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = EasternNineToFive with { TimeZoneName = "America/New_York" } });
        var gateway = new GraphMeetingGateway(Client(server));

        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 10), Amy), CancellationToken.None);

        Assert.AreEqual(Utc(23, 14), proposal.Start);
        Assert.AreEqual("America/New_York", proposal.OrganizerTimeZone);
    }

    [TestMethod]
    public async Task AnAttendeesMeetingMovesTheProposalPastIt()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = EasternNineToFive });
        server.SetSchedule("amy@contoso.test", new FakeSchedule { Items = [new(Utc(23, 14), Utc(23, 15, 20))] });
        var gateway = new GraphMeetingGateway(Client(server));

        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 14), Amy), CancellationToken.None);

        Assert.AreEqual(Utc(23, 15, 30), proposal.Start);
        Assert.IsTrue(proposal.EveryoneFree);
    }

    [TestMethod]
    public async Task TentativeOutOfOfficeAndWorkingElsewhereAreBusyButFreeIsNot()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule
        {
            WorkingHours = EasternNineToFive,
            Items = [new(Utc(23, 14), Utc(23, 15), "tentative"), new(Utc(23, 15), Utc(23, 16), "free")],
        });
        server.SetSchedule("amy@contoso.test", new FakeSchedule { Items = [new(Utc(23, 16), Utc(23, 17), "oof")] });
        server.SetSchedule("ben@contoso.test", new FakeSchedule { Items = [new(Utc(23, 15), Utc(23, 15, 30), "workingElsewhere")] });
        var gateway = new GraphMeetingGateway(Client(server));

        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 14), Amy, Ben), CancellationToken.None);

        Assert.AreEqual(Utc(23, 17), proposal.Start);
    }

    [TestMethod]
    public async Task WhenNoTimeSuitsEveryoneTheOrganizersFirstFreeTimeIsProposedWithAKindNote()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = EasternNineToFive, Items = [new(Utc(23, 14), Utc(23, 15))] });
        var allWeek = new FakeSchedule { Items = [new(Utc(20, 0), Utc(30, 23))] };
        server.SetSchedule("amy@contoso.test", allWeek);
        server.SetSchedule("ben@contoso.test", allWeek);
        var gateway = new GraphMeetingGateway(Client(server));

        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 14), Amy, Ben), CancellationToken.None);

        Assert.AreEqual(Utc(23, 15), proposal.Start);
        Assert.IsFalse(proposal.EveryoneFree);
        Assert.AreEqual("No time in the next 5 working days suits everyone; 2 people are busy at this time.", proposal.Note);
    }

    [TestMethod]
    public async Task ACalendarGraphCannotReadCountsAsFreeAndTheNoteSaysWhose()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = EasternNineToFive });
        server.SetSchedule("amy@contoso.test", new FakeSchedule { Error = "The user could not be found." });
        var gateway = new GraphMeetingGateway(Client(server));

        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 14), Amy), CancellationToken.None);

        Assert.AreEqual(Utc(23, 14), proposal.Start);
        Assert.IsTrue(proposal.EveryoneFree);
        Assert.AreEqual("We couldn't see Amy Adams's calendar, so they count as free.", proposal.Note);
    }

    [TestMethod]
    public async Task WithoutWorkingHoursItIsNineToFiveInTheRequestersZone()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.SetSchedule("olivia@contoso.test", new FakeSchedule { WorkingHours = null });
        var gateway = new GraphMeetingGateway(Client(server));

        // Monday 05:30 in Kolkata (UTC+5:30); 09:00 there is 03:30Z.
        var proposal = await gateway.ProposeSlotAsync(Request(Utc(23, 0), Amy), CancellationToken.None);

        Assert.AreEqual(Utc(23, 3, 30), proposal.Start);
        Assert.AreEqual("Asia/Kolkata", proposal.OrganizerTimeZone);
    }

    [TestMethod]
    public async Task ParticipantsWithoutAnEmailAreLookedUpAndOnesNotFoundAreNamedInTheNote()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.AddUser("org-oid", "Olivia Organizer", "olivia@contoso.test");
        server.MarkUserMissing("gone-oid");
        var gateway = new GraphMeetingGateway(Client(server));
        var request = Request(Utc(23, 9), new Attendee("amy-oid", "Amy Adams"), new Attendee("gone-oid", "Gone Person")) with
        {
            Organizer = new Attendee("org-oid", "Olivia Organizer"),
        };

        var proposal = await gateway.ProposeSlotAsync(request, CancellationToken.None);

        var schedules = JsonIgnoringCase(server.Requests.Last())["schedules"]!.AsArray().Select(Text).ToArray();
        CollectionAssert.AreEqual(new[] { "olivia@contoso.test", "amy-oid@contoso.test" }, schedules);
        Assert.AreEqual("We couldn't see Gone Person's calendar, so they count as free.", proposal.Note);
    }

    [TestMethod]
    public async Task AFailedGetScheduleIsAGraphCallException()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/calendar/getSchedule", 403);
        var gateway = new GraphMeetingGateway(Client(server));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.ProposeSlotAsync(Request(Utc(23, 9), Amy), CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.Contains("Calendars.Read", error.Message);
    }
}
