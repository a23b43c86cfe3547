using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Channels;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;
using static Postmortems.GraphSync.Tests.Graph.GraphTestSupport;

namespace Postmortems.GraphSync.Tests.Graph;

[TestClass]
[TestCategory("Integration")]
public sealed class GraphIncidentChannelGatewayTests
{
    private static readonly TabToAdd Tab = new("Postmortem", "pm-42", new Uri("https://app.contoso.test/tabs/postmortem?id=pm-42"), new Uri("https://app.contoso.test/postmortems/pm-42"));

    private static GraphIncidentChannelGateway Gateway(FakeGraphServer server, string? catalogAppId = CatalogAppId) =>
        new(Client(server), Options(server, catalogAppId));

    [TestMethod]
    public async Task CreatingAChannelPostsAStandardChannelToTheTeam()
    {
        await using var server = await FakeGraphServer.StartAsync();

        var channel = await Gateway(server).CreateChannelAsync("team-1", "INC-7 checkout outage", "Review of INC-7", CancellationToken.None);

        var request = server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("/v1.0/teams/team-1/channels", request.Path);
        var json = Json(request);
        Assert.AreEqual("INC-7 checkout outage", Text(json["displayName"]));
        Assert.AreEqual("Review of INC-7", Text(json["description"]));
        Assert.AreEqual("standard", Text(json["membershipType"]));

        var stored = server.Channels.Single();
        Assert.AreEqual(new IncidentChannel("team-1", stored.Id, "INC-7 checkout outage", new Uri(Text(stored.Json["webUrl"])!)), channel);
    }

    [TestMethod]
    public async Task AChannelNameThatAlreadyExistsReturnsTheExistingChannel()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var existing = server.AddChannel("team-1", "INC-7 it's down");

        var channel = await Gateway(server).CreateChannelAsync("team-1", "INC-7 it's down", "again", CancellationToken.None);

        Assert.AreEqual(existing.Id, channel.ChannelId);
        Assert.HasCount(1, server.Channels);
        var lookup = server.Requests.Last();
        Assert.AreEqual("GET", lookup.Method);
        Assert.AreEqual("/v1.0/teams/team-1/channels", lookup.Path);
        Assert.Contains("$filter=displayName eq 'INC-7 it''s down'", Uri.UnescapeDataString(lookup.PathAndQuery));
    }

    [TestMethod]
    public async Task TheOlderChannelNameAlreadyExistedAnswerAlsoReturnsTheExistingChannel()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var existing = server.AddChannel("team-1", "INC-8");
        server.FailNext("POST", "/teams/team-1/channels", 400, code: "BadRequest", message: "Channel name already existed, please use other name.");

        var channel = await Gateway(server).CreateChannelAsync("team-1", "INC-8", "", CancellationToken.None);

        Assert.AreEqual(existing.Id, channel.ChannelId);
    }

    [TestMethod]
    public async Task ANameTakenByAChannelThatCannotBeFoundSaysSo()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/channels", 400, code: "NameAlreadyExists", message: "Channel name already existed, please use other name.");

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(
            () => Gateway(server).CreateChannelAsync("team-1", "INC-9", "", CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.Contains("deleted recently", error.Message);
    }

    [TestMethod]
    public async Task AnotherBadRequestIsNotMistakenForATakenName()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/channels", 400, message: "Channel name contains invalid characters.");

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(
            () => Gateway(server).CreateChannelAsync("team-1", "INC#9", "", CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.AreEqual(400, error.Status);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    public async Task ThrottledChannelCreationIsTransient()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("POST", "/channels", 429, retryAfter: TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(
            () => Gateway(server).CreateChannelAsync("team-1", "INC-10", "", CancellationToken.None));

        Assert.IsTrue(error.IsTransient);
        Assert.AreEqual(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [TestMethod]
    public async Task AddingATabBindsTheAppFromTheCatalogAndPointsAtThePostmortem()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = Gateway(server);
        var channel = await gateway.CreateChannelAsync("team-1", "INC-11", "", CancellationToken.None);

        await gateway.AddTabAsync(channel, Tab, CancellationToken.None);

        var request = server.Requests.Last();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual($"/v1.0/teams/team-1/channels/{Uri.EscapeDataString(channel.ChannelId)}/tabs", request.Path);
        var json = Json(request);
        Assert.AreEqual("Postmortem", Text(json["displayName"]));
        Assert.AreEqual($"{server.BaseUrl}/appCatalogs/teamsApps/{CatalogAppId}", Text(json["teamsApp@odata.bind"]));
        var configuration = json["configuration"]!.AsObject();
        Assert.AreEqual("pm-42", Text(configuration["entityId"]));
        Assert.AreEqual("https://app.contoso.test/tabs/postmortem?id=pm-42", Text(configuration["contentUrl"]));
        Assert.AreEqual("https://app.contoso.test/postmortems/pm-42", Text(configuration["websiteUrl"]));
        Assert.IsTrue(configuration.ContainsKey("removeUrl"));
        Assert.IsNull(configuration["removeUrl"]);
        Assert.AreEqual(channel.ChannelId, server.Tabs.Single().ChannelId);
    }

    [TestMethod]
    public async Task WithoutACatalogIdAddingATabFailsAndSaysWhatToSet()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var channel = new IncidentChannel("team-1", "19:abc@thread.tacv2", "INC-12", null);

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(
            () => Gateway(server, catalogAppId: "").AddTabAsync(channel, Tab, CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.Contains("Graph:TeamsAppCatalogId", error.Message);
        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    public async Task AForbiddenTabSaysWhichPermissionToGrant()
    {
        await using var server = await FakeGraphServer.StartAsync();
        var gateway = Gateway(server);
        var channel = await gateway.CreateChannelAsync("team-1", "INC-13", "", CancellationToken.None);
        server.FailNext("POST", "/tabs", 403);

        var error = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => gateway.AddTabAsync(channel, Tab, CancellationToken.None));

        Assert.IsFalse(error.IsTransient);
        Assert.Contains("TeamsTab.Create", error.Message);
    }
}
