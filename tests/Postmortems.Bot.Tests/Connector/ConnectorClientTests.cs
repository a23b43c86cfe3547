using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>ConnectorClient against a real local HTTP server: methods, escaped paths, JSON bodies, token, refusals.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ConnectorClientTests
{
    [TestMethod]
    public async Task SendToConversationPostsTheAddressedActivityToTheEscapedConversationPathAndReturnsItsId()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        harness.Server.Enqueue(HttpStatusCode.Created, """{"id":"1:new-post"}""");

        string? id = await harness.Client.SendToConversationAsync(harness.Channel(), ConnectorHarness.Message("Postmortem due Friday"), CancellationToken.None);

        Assert.AreEqual("1:new-post", id);
        var request = harness.Server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual($"/v3/conversations/{ConnectorHarness.EscapedChannelThreadId}/activities", request.PathAndQuery);
        StringAssert.StartsWith(request.Header("Content-Type"), "application/json");
        using var body = JsonDocument.Parse(request.Body);
        var activity = body.RootElement;
        Assert.AreEqual("message", activity.GetProperty("type").GetString());
        Assert.AreEqual("Postmortem due Friday", activity.GetProperty("text").GetString());
        Assert.AreEqual(ConnectorHarness.BotId, activity.GetProperty("from").GetProperty("id").GetString());
        Assert.AreEqual("Postmortems", activity.GetProperty("from").GetProperty("name").GetString());
        Assert.AreEqual(ConnectorHarness.ChannelThreadId, activity.GetProperty("conversation").GetProperty("id").GetString());
        Assert.AreEqual(ConnectorHarness.UserId, activity.GetProperty("recipient").GetProperty("id").GetString());
        Assert.AreEqual("msteams", activity.GetProperty("channelId").GetString());
        Assert.AreEqual(harness.ServiceUrl, activity.GetProperty("serviceUrl").GetString());
        Assert.IsFalse(activity.TryGetProperty("replyToId", out _), "nulls are left out");
    }

    [TestMethod]
    public async Task ReplyToActivityPostsUnderTheActivityWithReplyToIdSet()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        harness.Server.Enqueue(HttpStatusCode.OK, """{"id":"1:reply"}""");

        string? id = await harness.Client.ReplyToActivityAsync(harness.Channel(), "1:parent/x", ConnectorHarness.Message("Thanks"), CancellationToken.None);

        Assert.AreEqual("1:reply", id);
        var request = harness.Server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual($"/v3/conversations/{ConnectorHarness.EscapedChannelThreadId}/activities/1%3Aparent%2Fx", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        Assert.AreEqual("1:parent/x", body.RootElement.GetProperty("replyToId").GetString());
    }

    [TestMethod]
    public async Task UpdateActivityPutsTheWholeActivityUnderItsId()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        var card = ConnectorHarness.Message("Updated");
        card.Attachments = [new() { ContentType = "application/vnd.microsoft.card.adaptive", Content = new { type = "AdaptiveCard", version = "1.5" } }];

        await harness.Client.UpdateActivityAsync(harness.Personal(), "1:card", card, CancellationToken.None);

        var request = harness.Server.Requests.Single();
        Assert.AreEqual("PUT", request.Method);
        Assert.AreEqual("/v3/conversations/a%3A1personalChat/activities/1%3Acard", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        var activity = body.RootElement;
        Assert.AreEqual("1:card", activity.GetProperty("id").GetString());
        Assert.AreEqual("message", activity.GetProperty("type").GetString());
        Assert.AreEqual("a:1personalChat", activity.GetProperty("conversation").GetProperty("id").GetString());
        var attachment = activity.GetProperty("attachments")[0];
        Assert.AreEqual("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.AreEqual("1.5", attachment.GetProperty("content").GetProperty("version").GetString());
    }

    [TestMethod]
    public async Task CreatePersonalConversationPostsConversationParametersAndReturnsTheNewConversation()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        harness.Server.Enqueue(HttpStatusCode.Created, """{"id":"a:1new1on1"}""");

        var created = await harness.Client.CreatePersonalConversationAsync(harness.Channel(), "29:1megan", CancellationToken.None);

        var request = harness.Server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("/v3/conversations", request.PathAndQuery);
        using var body = JsonDocument.Parse(request.Body);
        var parameters = body.RootElement;
        Assert.IsFalse(parameters.GetProperty("isGroup").GetBoolean());
        Assert.AreEqual(ConnectorHarness.BotId, parameters.GetProperty("bot").GetProperty("id").GetString());
        Assert.AreEqual("29:1megan", parameters.GetProperty("members").EnumerateArray().Single().GetProperty("id").GetString());
        Assert.AreEqual(ConnectorHarness.TenantId, parameters.GetProperty("tenantId").GetString());
        Assert.AreEqual(ConnectorHarness.TenantId, parameters.GetProperty("channelData").GetProperty("tenant").GetProperty("id").GetString());

        Assert.AreEqual("a:1new1on1", created.ConversationId);
        Assert.AreEqual(harness.ServiceUrl, created.ServiceUrl);
        Assert.AreEqual(ConnectorHarness.BotId, created.BotId);
        Assert.AreEqual(ConnectorHarness.TenantId, created.TenantId);
        Assert.AreEqual("personal", created.ConversationType);
        Assert.AreEqual("29:1megan", created.UserId);
    }

    [TestMethod]
    public async Task GetConversationMembersFollowsTheContinuationTokenToTheLastPage()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        string members = $"/v3/conversations/{ConnectorHarness.EscapedChannelThreadId}/pagedmembers";
        harness.Server.Enqueue(HttpStatusCode.OK, """
            { "continuationToken": "page 2+/=", "members": [
              { "id": "29:1alex", "name": "Alex Wilber", "objectId": "00000000-0000-0000-0000-000000000020",
                "email": "alex@contoso.com", "userPrincipalName": "alex@contoso.com", "tenantId": "t1", "userRole": "user" } ] }
            """, pathPrefix: members);
        harness.Server.Enqueue(HttpStatusCode.OK, """
            { "members": [
              { "id": "29:1megan", "name": "Megan Bowen", "aadObjectId": "00000000-0000-0000-0000-000000000021", "tenantId": "t1" } ] }
            """, pathPrefix: members);

        var roster = await harness.Client.GetConversationMembersAsync(harness.Channel(), CancellationToken.None);

        var requests = harness.Server.Requests;
        Assert.HasCount(2, requests);
        Assert.AreEqual("GET", requests[0].Method);
        Assert.AreEqual($"{members}?pageSize=500", requests[0].PathAndQuery);
        Assert.AreEqual($"{members}?pageSize=500&continuationToken=page%202%2B%2F%3D", requests[1].PathAndQuery);
        Assert.HasCount(2, roster);
        Assert.AreEqual(new ConversationMember("29:1alex", "00000000-0000-0000-0000-000000000020", "Alex Wilber", "alex@contoso.com", "alex@contoso.com", "t1"), roster[0]);
        Assert.AreEqual("29:1megan", roster[1].Id);
        Assert.AreEqual("00000000-0000-0000-0000-000000000021", roster[1].AadObjectId);
    }

    [TestMethod]
    public async Task AServiceUrlWithAPathAndNoTrailingSlashIsJoinedWithOneSlash()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        string regional = harness.ServiceUrl + "amer";
        harness.Trusted.Trust(regional);
        var conversation = harness.Personal() with { ServiceUrl = regional };

        await harness.Client.SendToConversationAsync(conversation, ConnectorHarness.Message("hi"), CancellationToken.None);
        await harness.Client.SendToConversationAsync(conversation with { ServiceUrl = regional + "/" }, ConnectorHarness.Message("hi"), CancellationToken.None);

        Assert.IsTrue(harness.Server.Requests.All(r => r.PathAndQuery == "/amer/v3/conversations/a%3A1personalChat/activities"),
            string.Join(", ", harness.Server.Requests.Select(r => r.PathAndQuery)));
    }

    [TestMethod]
    public async Task SendsTheBotsBearerTokenWhenAnAppIdIsConfigured()
    {
        await using var harness = await ConnectorHarness.StartAsync();

        await harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);

        Assert.AreEqual("Bearer token-1", harness.Server.Requests.Single().Header("Authorization"));
        CollectionAssert.AreEqual(new[] { "https://api.botframework.com/.default" }, harness.Credential.LastScopes.ToArray());
    }

    [TestMethod]
    public async Task SendsNoAuthorizationHeaderInLocalMode()
    {
        await using var harness = await ConnectorHarness.StartAsync(appId: null);

        await harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);

        Assert.IsNull(harness.Server.Requests.Single().Header("Authorization"));
        Assert.AreEqual(0, harness.Credential.Calls);
    }

    [TestMethod]
    public async Task TheTokenIsAcquiredOnceAndReusedAcrossRequests()
    {
        await using var harness = await ConnectorHarness.StartAsync();

        await harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("one"), CancellationToken.None);
        await harness.Client.ReplyToActivityAsync(harness.Personal(), "1:x", ConnectorHarness.Message("two"), CancellationToken.None);
        await harness.Client.UpdateActivityAsync(harness.Personal(), "1:x", ConnectorHarness.Message("three"), CancellationToken.None);

        Assert.AreEqual(1, harness.Credential.Calls);
        Assert.IsTrue(harness.Server.Requests.All(r => r.Header("Authorization") == "Bearer token-1"));
    }

    [TestMethod]
    public async Task NothingIsSentAndNoTokenIsTakenForAnUntrustedServiceUrl()
    {
        await using var harness = await ConnectorHarness.StartAsync(trustServer: false);
        harness.Trusted.Trust(harness.ServiceUrl + "amer/");

        var unknownHost = await Assert.ThrowsExactlyAsync<UntrustedServiceUrlException>(
            () => harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None));
        var otherPath = await Assert.ThrowsExactlyAsync<UntrustedServiceUrlException>(
            () => harness.Client.GetConversationMembersAsync(harness.Personal() with { ServiceUrl = harness.ServiceUrl + "emea/" }, CancellationToken.None));
        await Assert.ThrowsExactlyAsync<UntrustedServiceUrlException>(
            () => harness.Client.CreatePersonalConversationAsync(harness.Personal(), "29:1megan", CancellationToken.None));

        Assert.AreEqual(harness.ServiceUrl, unknownHost.ServiceUrl);
        Assert.AreEqual(harness.ServiceUrl + "emea/", otherPath.ServiceUrl);
        Assert.IsEmpty(harness.Server.Requests);
        Assert.AreEqual(0, harness.Credential.Calls);
    }

    [TestMethod]
    [DataRow(HttpStatusCode.Forbidden, "MessageWritesBlocked", "Thread is blocked from message writes.")]
    [DataRow(HttpStatusCode.RequestEntityTooLarge, "MessageSizeTooBig", "Message size too big.")]
    [DataRow(HttpStatusCode.NotFound, "ConversationNotFound", "Conversation not found.")]
    public async Task ARefusalIsNotRetriedAndCarriesTheStatusAndTeamsErrorCode(HttpStatusCode status, string code, string message)
    {
        await using var harness = await ConnectorHarness.StartAsync();
        harness.Server.Enqueue(status, $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}"}}""");

        var refused = await Assert.ThrowsExactlyAsync<ConnectorException>(
            () => harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None));

        Assert.AreEqual(status, refused.StatusCode);
        Assert.AreEqual(code, refused.ErrorCode);
        Assert.AreEqual(message, refused.ErrorMessage);
        Assert.Contains(code, refused.Message);
        Assert.HasCount(1, harness.Server.Requests);
    }

    [TestMethod]
    public async Task ARefusalWithoutAnErrorBodyStillCarriesTheStatus()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        harness.Server.Enqueue(HttpStatusCode.BadRequest, "not json");

        var refused = await Assert.ThrowsExactlyAsync<ConnectorException>(
            () => harness.Client.UpdateActivityAsync(harness.Personal(), "1:x", ConnectorHarness.Message("hi"), CancellationToken.None));

        Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.IsNull(refused.ErrorCode);
    }

    [TestMethod]
    public void AddConnectorClientNeedsOnlyTheBotOptionsAndSharesOneTokenProviderAndLimiter()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07", AppPassword = "not-a-real-secret" }));
        services.AddConnectorClient();
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<ConnectorClient>();
        var second = provider.GetRequiredService<ConnectorClient>();

        Assert.AreNotSame(first, second);
        Assert.AreSame(provider.GetRequiredService<ConnectorTokenProvider>(), provider.GetRequiredService<ConnectorTokenProvider>());
        Assert.AreSame(provider.GetRequiredService<ConnectorRateLimiter>(), provider.GetRequiredService<ConnectorRateLimiter>());
        Assert.AreSame(provider.GetRequiredService<TrustedServiceUrls>(), provider.GetRequiredService<TrustedServiceUrls>());
    }
}
