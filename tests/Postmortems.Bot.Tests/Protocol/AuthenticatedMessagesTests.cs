using System.Net;
using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Bot.Conversations;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>
/// POST /api/messages with Bot:AppId set: activities signed by a local Bot Framework issuer, through the real
/// pipeline, real Azurite, and a real local HTTP server as the Bot Connector.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AuthenticatedMessagesTests
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";
    private const string BotToken = "connector-token-for-tests";

    private static AzuriteServer _azurite = null!;
    private static LocalBotIssuer _issuer = null!;
    private static RecordingHttpServer _connector = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _azurite = await SharedAzurite.GetAsync();
        _issuer = await LocalBotIssuer.StartAsync();
        _connector = await RecordingHttpServer.StartAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _issuer.DisposeAsync();
        await _connector.DisposeAsync();
    }

    [TestMethod]
    public async Task SignedActivityIsAnsweredAndTheReplyCarriesTheBotsToken()
    {
        var (conversation, serviceUrl) = NewConversation();
        await using var app = CreateApp();
        using var client = app.CreateClient();

        var response = await PostAsync(client, TestActivities.Message(serviceUrl, "help", id: "m1", conversationId: conversation), _issuer.CreateToken(AppId, serviceUrl));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var reply = await _connector.WaitForRequestAsync(r => r.Path.Contains(Uri.EscapeDataString(conversation), StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.AreEqual("Bearer " + BotToken, reply.Header("Authorization"));
        Assert.IsNotNull(await app.Services.GetRequiredService<ConversationStore>().GetAsync(TestActivities.TenantId, conversation));
    }

    [TestMethod]
    public async Task ForgedTokenIsRejectedAndNothingIsSentOrStored()
    {
        var (conversation, serviceUrl) = NewConversation();
        await using var app = CreateApp();
        using var client = app.CreateClient();

        string forged = _issuer.CreateToken(AppId, serviceUrl, o => o.Signing = TokenSigning.UnpublishedKey);
        var response = await PostAsync(client, TestActivities.Message(serviceUrl, "help", conversationId: conversation), forged);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    public async Task TokenForAnotherServiceUrlCannotSteerTheReplyAndItsTokenElsewhere()
    {
        var (conversation, serviceUrl) = NewConversation();
        string attackerUrl = new Uri(_connector.BaseUrl, "attacker/").ToString();
        await using var app = CreateApp();
        using var client = app.CreateClient();

        var response = await PostAsync(client, TestActivities.Message(attackerUrl, "help", conversationId: conversation), _issuer.CreateToken(AppId, serviceUrl));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
        Assert.IsFalse(_connector.Requests.Any(r => r.Path.StartsWith("/attacker/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task RequestWithoutATokenIsRejectedEvenFromThisMachine()
    {
        var (conversation, serviceUrl) = NewConversation();
        await using var app = CreateApp();
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Message(serviceUrl, "help", conversationId: conversation)));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    [TestMethod]
    public async Task SingleTenantBotRefusesActivitiesFromOtherTenants()
    {
        var (conversation, serviceUrl) = NewConversation();
        await using var app = CreateApp(new() { ["Bot:TenantId"] = "99999999-9999-9999-9999-999999999999" });
        using var client = app.CreateClient();

        var response = await PostAsync(client, TestActivities.Message(serviceUrl, "help", conversationId: conversation), _issuer.CreateToken(AppId, serviceUrl));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        await BotApp.AssertNothingHappenedAsync(app, _connector, conversation);
    }

    private static (string Conversation, string ServiceUrl) NewConversation()
    {
        string id = Guid.NewGuid().ToString("N");
        return ("a:" + id, new Uri(_connector.BaseUrl, $"svc-{id}/").ToString());
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> CreateApp(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = AppId,
            ["Bot:OpenIdMetadataUrl"] = _issuer.MetadataUrl.ToString(),
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        // A remote caller: in Azure mode the token, not the address, decides.
        return BotApp.Create(_azurite.ConnectionString, IPAddress.Parse("52.112.0.1"), settings, services =>
            services.AddSingleton(sp => new ConnectorTokenProvider(
                sp.GetRequiredService<IOptions<BotOptions>>(), sp.GetRequiredService<TimeProvider>(), new StaticCredential())));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, System.Text.Json.Nodes.JsonObject activity, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = TestActivities.Json(activity) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>Stands in for Entra ID's token endpoint, which tests cannot reach.</summary>
    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(BotToken, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
