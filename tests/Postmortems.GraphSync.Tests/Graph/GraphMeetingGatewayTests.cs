using Postmortems.Core.Outbox;
using Microsoft.Extensions.Time.Testing;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;
using static Postmortems.GraphSync.Tests.Graph.GraphTestSupport;

namespace Postmortems.GraphSync.Tests.Graph;

[TestClass]
[TestCategory("Integration")]
public sealed class GraphMeetingGatewayTests
{
    private static readonly InviteBody Body = new("<p>Review of the checkout outage</p>", "Review of the checkout outage");

    [TestMethod]
    public async Task CreatingAnEventPostsTheTeamsMeetingInTheOrganizersTimeZone()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        // 2026-11-24T14:00Z is 09:00 in New York (EST).
        var sent = await gateway.CreateEventAsync(Invite(), Body, CancellationToken.None);

        var request = server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("/v1.0/users/org-oid/events", request.Path);
        Assert.AreEqual("outlook.timezone=\"Eastern Standard Time\"", request.Header("Prefer"));
        Assert.AreEqual($"Bearer {FixedTokenCredential.Token}", request.Header("Authorization"));

        var json = Json(request);
        Assert.AreEqual("Postmortem: checkout outage", Text(json["subject"]));
        Assert.AreEqual("html", Text(json["body"]!["contentType"]));
        Assert.AreEqual(Body.Html, Text(json["body"]!["content"]));
        Assert.AreEqual("2026-11-24T09:00:00", Text(json["start"]!["dateTime"]));
        Assert.AreEqual("Eastern Standard Time", Text(json["start"]!["timeZone"]));
        Assert.AreEqual("2026-11-24T10:00:00", Text(json["end"]!["dateTime"]));
        Assert.AreEqual("Eastern Standard Time", Text(json["end"]!["timeZone"]));
        Assert.IsTrue(json["isOnlineMeeting"]!.GetValue<bool>());
        Assert.AreEqual("teamsForBusiness", Text(json["onlineMeetingProvider"]));
        Assert.AreEqual("pm-42-review", Text(json["transactionId"]));
        Assert.IsTrue(json["allowNewTimeProposals"]!.GetValue<bool>());
        Assert.IsTrue(json["responseRequested"]!.GetValue<bool>());
        Assert.IsTrue(json["isReminderOn"]!.GetValue<bool>());
        Assert.AreEqual(15, json["reminderMinutesBeforeStart"]!.GetValue<int>());

        var attendees = json["attendees"]!.AsArray();
        Assert.HasCount(2, attendees);
        Assert.AreEqual("amy@contoso.test", Text(attendees[0]!["emailAddress"]!["address"]));
        Assert.AreEqual("Amy Adams", Text(attendees[0]!["emailAddress"]!["name"]));
        Assert.AreEqual("required", Text(attendees[0]!["type"]));
        Assert.AreEqual("ben@contoso.test", Text(attendees[1]!["emailAddress"]!["address"]));
        Assert.AreEqual("optional", Text(attendees[1]!["type"]));

        var stored = server.Events.Single();
        Assert.AreEqual(stored.Id, sent.EventId);
        Assert.AreEqual(Text(stored.Json["webLink"]), sent.WebLink!.ToString());
        Assert.AreEqual($"https://teams.microsoft.com/l/meetup-join/{stored.Id}", sent.JoinUrl!.ToString());
        Assert.IsNull(sent.LocalFile);
        Assert.IsEmpty(sent.SkippedAttendees);
    }

    [TestMethod]
    public async Task TheOrganizerIsNotListedAsAnAttendee()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        await gateway.CreateEventAsync(Invite(attendees: [Organizer, new Attendee("amy-oid", "Amy Adams", "amy@contoso.test")]), Body, CancellationToken.None);

        var attendees = Json(server.Requests.Single())["attendees"]!.AsArray();
        Assert.AreEqual("amy@contoso.test", Text(attendees.Single()!["emailAddress"]!["address"]));
    }

    [TestMethod]
    public async Task AnIanaTimeZoneIsSentAsGiven()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        await gateway.CreateEventAsync(Invite(timeZone: "Asia/Kolkata"), Body, CancellationToken.None);

        var json = Json(server.Requests.Single());
        Assert.AreEqual("2026-11-24T19:30:00", Text(json["start"]!["dateTime"]));
        Assert.AreEqual("Asia/Kolkata", Text(json["start"]!["timeZone"]));
        Assert.AreEqual("outlook.timezone=\"Asia/Kolkata\"", server.Requests.Single().Header("Prefer"));
    }

    [TestMethod]
    public async Task UserTextArrivesInTheJsonExactlyAsGiven()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));
        const string Subject = "Postmortem: <script>alert(1)</script> **bold** _it_ [link](https://x.test) \"quoted\" & 'single' ü";
        var body = new InviteBody("<p>&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(1)</script> **md** ü</p>", "text");

        await gateway.CreateEventAsync(Invite(subject: Subject), body, CancellationToken.None);

        var stored = server.Events.Single().Json;
        Assert.AreEqual(Subject, Text(stored["subject"]));
        Assert.AreEqual(body.Html, Text(stored["body"]!["content"]));
    }

    [TestMethod]
    public async Task ARetriedCreateWithTheSameTransactionIdGivesTheSameEvent()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        var first = await gateway.CreateEventAsync(Invite(), Body, CancellationToken.None);
        var second = await gateway.CreateEventAsync(Invite(), Body, CancellationToken.None);

        Assert.AreEqual(first.EventId, second.EventId);
        Assert.HasCount(1, server.Events);
    }

    [TestMethod]
    public async Task UpdatingAnEventPatchesSubjectBodyTimesAndAttendees()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));
        var created = await gateway.CreateEventAsync(Invite(), Body, CancellationToken.None);
        var moved = Invite(start: new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.Zero), subject: "Postmortem: moved") with
        {
            Attendees = [new Attendee("cat-oid", "Cat Cole", "cat@contoso.test")],
        };

        var updated = await gateway.UpdateEventAsync(moved, created.EventId, new InviteBody("<p>New agenda</p>", "New agenda"), CancellationToken.None);

        var request = server.Requests.Last();
        Assert.AreEqual("PATCH", request.Method);
        Assert.AreEqual($"/v1.0/users/org-oid/events/{created.EventId}", request.Path);
        var json = Json(request);
        Assert.AreEqual("Postmortem: moved", Text(json["subject"]));
        Assert.AreEqual("<p>New agenda</p>", Text(json["body"]!["content"]));
        Assert.AreEqual("2026-11-25T10:30:00", Text(json["start"]!["dateTime"]));
        Assert.AreEqual("2026-11-25T11:30:00", Text(json["end"]!["dateTime"]));
        Assert.AreEqual("cat@contoso.test", Text(json["attendees"]![0]!["emailAddress"]!["address"]));
        Assert.IsFalse(json.ContainsKey("transactionId"));
        Assert.IsFalse(json.ContainsKey("isOnlineMeeting"));
        Assert.IsFalse(json.ContainsKey("onlineMeetingProvider"));

        Assert.AreEqual(created.EventId, updated.EventId);
        Assert.AreEqual(created.JoinUrl, updated.JoinUrl);
        Assert.AreEqual("Postmortem: moved", Text(server.Events.Single().Json["subject"]));
    }

    [TestMethod]
    public async Task UpdatingAnEventThatIsGoneIsNotTransientAndSaysToSendANewInvite()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = new GraphMeetingGateway(Client(server));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(
            () => gateway.UpdateEventAsync(Invite(), "AAMk-gone", Body, CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.AreEqual(404, error.Status);
        Assert.Contains("Send a new invite", error.Message);
    }

    [TestMethod]
    public async Task AttendeesWithoutAnEmailAreLookedUpAndMissingOnesAreSkipped()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.AddUser("dan-oid", "Dan Dale", mail: null, userPrincipalName: "dan@contoso.onmicrosoft.test");
        server.MarkUserMissing("gone-oid");
        var gateway = new GraphMeetingGateway(Client(server));
        Attendee[] attendees =
        [
            new("amy-oid", "Amy Adams", "amy@contoso.test"),
            new("dan-oid", "Dan Dale"),
            new("eve-oid", "Eve Evans"),
            new("gone-oid", "Gone Person"),
        ];

        var sent = await gateway.CreateEventAsync(Invite(attendees: attendees), Body, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "Gone Person" }, sent.SkippedAttendees.ToArray());
        var lookups = server.Requests.Where(r => r.Method == "GET").ToList();
        CollectionAssert.AreEqual(new[] { "/v1.0/users/dan-oid", "/v1.0/users/eve-oid", "/v1.0/users/gone-oid" }, lookups.Select(r => r.Path).ToArray());
        Assert.AreEqual("?$select=id,displayName,mail,userPrincipalName", Uri.UnescapeDataString(new Uri(server.BaseUrl, lookups[0].PathAndQuery).Query));
        var addresses = Json(server.Requests.Last())["attendees"]!.AsArray().Select(a => Text(a!["emailAddress"]!["address"])).ToArray();
        CollectionAssert.AreEqual(new[] { "amy@contoso.test", "dan@contoso.onmicrosoft.test", "eve-oid@contoso.test" }, addresses);
    }

    [TestMethod]
    public async Task ThrottlingIsTransientWithTheRetryAfterGraphAskedForAndTheSdkDoesNotRetry()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/events", 429, retryAfter: TimeSpan.FromSeconds(7), times: 5);
        var gateway = new GraphMeetingGateway(Client(server));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsTrue(error.IsTransient);
        Assert.AreEqual(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.AreEqual(429, error.Status);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    [DataRow(500)]
    [DataRow(502)]
    [DataRow(503)]
    [DataRow(504)]
    [DataRow(408)]
    public async Task ServerTroubleIsTransientAndSentOnlyOnce(int status)
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/events", status, times: 5);
        var gateway = new GraphMeetingGateway(Client(server));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsTrue(error.IsTransient);
        Assert.IsNull(error.RetryAfter);
        Assert.AreEqual(status, error.Status);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    public async Task ForbiddenIsNotTransientAndSaysWhichPermissionToGrant()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/users/org-oid/events", 403);
        var gateway = new GraphMeetingGateway(Client(server));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("The app isn't allowed to write to this calendar. An admin needs to grant Calendars.ReadWrite.", error.Message);
    }

    [TestMethod]
    public async Task UnauthorizedAndBadRequestAreNotTransient()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/events", 401);
        server.FailNext("POST", "/events", 400, message: "Invalid attendee.");
        var gateway = new GraphMeetingGateway(Client(server));

        var unauthorized = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));
        var invalid = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsFalse(unauthorized.IsTransient);
        Assert.Contains("credentials", unauthorized.Message);
        Assert.IsFalse(invalid.IsTransient);
        Assert.Contains("Invalid attendee.", invalid.Message);
    }

    [TestMethod]
    public async Task ATimeoutIsTransientAndTheRetryFindsTheEventGraphMadeAnyway()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.DelayNext("POST", "/events", TimeSpan.FromSeconds(10), applyFirst: true);
        var gateway = new GraphMeetingGateway(Client(server, timeout: TimeSpan.FromMilliseconds(400)));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));
        var retried = await gateway.CreateEventAsync(Invite(), Body, CancellationToken.None);

        Assert.IsTrue(error.IsTransient);
        Assert.IsNull(error.Status);
        Assert.AreEqual(server.Events.Single().Id, retried.EventId);
    }

    [TestMethod]
    public async Task CancellingTheCallIsACancellationNotAFailure()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.DelayNext("POST", "/events", TimeSpan.FromSeconds(10), applyFirst: false);
        var gateway = new GraphMeetingGateway(Client(server));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<OperationCanceledException>(() => gateway.CreateEventAsync(Invite(), Body, cancel.Token));
    }

    [TestMethod]
    public async Task AnUnreachableGraphIsTransient()
    {
        var server = await FakeGraphServer.StartAsync();
        var client = Client(server);
        await server.DisposeAsync();
        var gateway = new GraphMeetingGateway(client);

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsTrue(error.IsTransient);
    }

    [TestMethod]
    public async Task ARetryAfterGivenAsADateIsReadAsTheTimeUntilThen()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        server.FailNext("POST", "/events", 503, headers: new Dictionary<string, string> { ["Retry-After"] = now.AddSeconds(90).ToString("r") });
        var gateway = new GraphMeetingGateway(Client(server), new FakeTimeProvider(now));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.CreateEventAsync(Invite(), Body, CancellationToken.None));

        Assert.IsTrue(error.IsTransient);
        Assert.AreEqual(TimeSpan.FromSeconds(90), error.RetryAfter);
    }
}
