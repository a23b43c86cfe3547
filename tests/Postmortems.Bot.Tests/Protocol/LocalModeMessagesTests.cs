using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>
/// POST /api/messages in local mode (no Bot:AppId), through the real pipeline with real Azurite, replies going to a
/// real local HTTP server standing in for the Bot Connector.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LocalModeMessagesTests
{
    private static AzuriteServer _azurite = null!;
    private static RecordingHttpServer _connector = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _azurite = await SharedAzurite.GetAsync();
        _connector = await RecordingHttpServer.StartAsync();
    }

    [ClassCleanup]
    public static async Task Stop() => await _connector.DisposeAsync();

    private static string ServiceUrl(string conversation) => new Uri(_connector.BaseUrl, $"svc-{conversation}/").ToString();

    [TestMethod]
    public async Task HelpFromALoopbackCallerIsAnsweredWithTheHelpCardThroughTheConnector()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative),
            TestActivities.Json(TestActivities.Message(ServiceUrl("help"), "<at>Blameless Postmortems</at> HELP", id: "m1", conversationId: conversation)));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var reply = await _connector.WaitForRequestAsync(r => r.Path.Contains(Uri.EscapeDataString(conversation), StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.AreEqual("POST", reply.Method);
        Assert.AreEqual($"/svc-help/v3/conversations/{Uri.EscapeDataString(conversation)}/activities/m1", reply.Path);
        Assert.IsNull(reply.Header("Authorization"), "local mode sends no token");
        var body = TestActivities.Parse(reply.Body);
        Assert.AreEqual("message", body.GetProperty("type").GetString());
        var card = body.GetProperty("attachments")[0];
        Assert.AreEqual("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
        Assert.AreEqual("AdaptiveCard", card.GetProperty("content").GetProperty("type").GetString());
        StringAssert.Contains(card.GetProperty("content").ToString(), "Show this list of commands.");
    }

    [TestMethod]
    public async Task TheConversationReferenceIsStoredForLaterProactiveMessages()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Message(ServiceUrl("ref"), "help", conversationId: conversation)));
        var stored = await app.Services.GetRequiredService<ConversationStore>().GetAsync(TestActivities.TenantId, conversation);

        Assert.IsNotNull(stored);
        Assert.AreEqual(ServiceUrl("ref"), stored.ServiceUrl);
        Assert.AreEqual(TestActivities.BotId, stored.BotId);
        Assert.AreEqual("personal", stored.ConversationType);
        Assert.AreEqual("00000000-0000-0000-0000-0000000000020", stored.UserAadObjectId);

        // Later, e.g. after a restart: the stored reference is loaded for a proactive message and its URL is trusted.
        var trusted = new TrustedServiceUrls();
        var references = new ConversationReferences(app.Services.GetRequiredService<ConversationStore>(), trusted, TimeProvider.System, NullLogger<ConversationReferences>.Instance);
        var loaded = await references.LoadAsync(TestActivities.TenantId, conversation, CancellationToken.None);
        Assert.AreEqual(new ConversationReference(ServiceUrl("ref"), conversation, TestActivities.TenantId, TestActivities.BotId, "Blameless Postmortems", "personal", "29:user-alex", "00000000-0000-0000-0000-0000000000020", "msteams"), loaded);
        Assert.IsTrue(trusted.IsTrusted(ServiceUrl("ref")));
    }

    [TestMethod]
    public async Task TheSameMessageDeliveredTwiceIsAnsweredOnce()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        var activity = TestActivities.Message(ServiceUrl("dup"), "help", id: "same-id", conversationId: conversation);

        await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(activity));
        await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(activity));
        // Both deliveries have been answered, and a message's replies are sent before it is answered: counted now, with
        // no wait, every reply there will ever be is in.
        Assert.AreEqual(1, _connector.Requests.Count(r => r.Path.Contains(Uri.EscapeDataString(conversation), StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ACallerFromAnotherMachineIsRejectedInLocalModeAndNothingHappens()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Parse("203.0.113.7"));
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Message(ServiceUrl("remote"), "help", conversationId: conversation)));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    public async Task LocalModeNeverRepliesToAServiceUrlOffThisMachine()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative),
            TestActivities.Json(TestActivities.Message("https://attacker.example.com/", "help", conversationId: conversation)));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    [DataRow("{ not json", DisplayName = "malformed JSON")]
    [DataRow("[]", DisplayName = "an array")]
    [DataRow("{\"type\":\"message\"}", DisplayName = "missing fields")]
    [DataRow("{\"type\":42}", DisplayName = "wrong type")]
    public async Task MalformedActivityIsRejectedWith400AndNothingHappens(string body)
    {
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        int before = _connector.Requests.Count;

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Raw(body));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual(before, _connector.Requests.Count);
    }

    [TestMethod]
    public async Task ActivityWithoutItsConversationOrTenantIsRejected()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        var noConversation = TestActivities.Message(ServiceUrl("x"), "help", conversationId: conversation);
        noConversation.Remove("conversation");
        var noTenant = TestActivities.Message(ServiceUrl("x"), "help", conversationId: conversation);
        noTenant.Remove("channelData");
        ((JsonObject)noTenant["conversation"]!).Remove("tenantId");

        Assert.AreEqual(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(noConversation))).StatusCode);
        Assert.AreEqual(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(noTenant))).StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    public async Task DeeplyNestedOrHugeActivityIsRejectedWithoutEffect()
    {
        string conversation = "a:" + Guid.NewGuid().ToString("N");
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        var deep = TestActivities.Message(ServiceUrl("deep"), "help", conversationId: conversation);
        deep["value"] = "PLACEHOLDER";
        string deepJson = deep.ToJsonString().Replace("\"PLACEHOLDER\"", new string('[', 500) + new string(']', 500), StringComparison.Ordinal);
        var huge = TestActivities.Message(ServiceUrl("huge"), new string('x', 300_000), conversationId: conversation);

        Assert.AreEqual(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Raw(deepJson))).StatusCode);
        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(huge))).StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    public async Task OnlyPostIsAccepted()
    {
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/api/messages", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [TestMethod]
    public async Task UnknownActivityTypesAreAcceptedAndIgnored()
    {
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        var reaction = TestActivities.Message(ServiceUrl("reaction"), string.Empty);
        reaction["type"] = "messageReaction";

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(reaction));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
