using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Bot.Conversations;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>
/// Azure mode (Bot:AppId set), a caller from outside this machine: forged and replayed Bot Framework tokens are 401
/// and change nothing, not even the conversation reference; and a slice of the corpus with valid tokens.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BotTokenAttackTests
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";

    private static LocalBotIssuer _issuer = null!;
    private static RecordingHttpServer _connector = null!;
    private static SecurityApp _app = null!;
    private static SeededPostmortem _a = null!;
    private static SeededPostmortem _b = null!;

    public TestContext TestContext { get; set; } = null!;

    private static string ServiceUrl => new Uri(_connector.BaseUrl, "svc/").ToString();

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _issuer = await LocalBotIssuer.StartAsync();
        _issuer.AddKey("skype-only-key", ["skype"]);
        _issuer.AddKey("no-endorsements-key", null);
        _connector = await RecordingHttpServer.StartAsync();
        _app = await StartAppAsync();
        _a = await SeededPostmortem.CreateAsync(_app.Factory.Services, TestData.NewTenantId(), "19:chat-a@thread.v2", secret: true);
        _b = await SeededPostmortem.CreateAsync(_app.Factory.Services, TestData.NewTenantId(), "19:chat-b@thread.v2", secret: false);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
        await _connector.DisposeAsync();
    }

    public static IEnumerable<object[]> ForgedTokens() =>
    [
        ["signed with a key the issuer never published", new Action<TokenOptions>(o => o.Signing = TokenSigning.UnpublishedKey)],
        ["alg none", new Action<TokenOptions>(o => o.Signing = TokenSigning.None)],
        ["HS256 keyed with the public key", new Action<TokenOptions>(o => o.Signing = TokenSigning.HmacWithPublicKey)],
        ["wrong issuer", new Action<TokenOptions>(o => o.Issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/")],
        ["expired beyond the skew", new Action<TokenOptions>(o => { o.NotBefore = DateTimeOffset.UtcNow.AddHours(-2); o.Expires = DateTimeOffset.UtcNow.AddMinutes(-6); })],
        ["not yet valid", new Action<TokenOptions>(o => o.NotBefore = DateTimeOffset.UtcNow.AddMinutes(30))],
        ["without exp", new Action<TokenOptions>(o => o.Expires = null)],
        ["without the serviceurl claim", new Action<TokenOptions>(o => o.OmitServiceUrl = true)],
        ["serviceurl claim of another service", new Action<TokenOptions>(o => o.Claims["serviceurl"] = "https://smba.trafficmanager.net/emea/")],
        ["a key that endorses another channel", new Action<TokenOptions>(o => o.KeyId = "skype-only-key")],
        ["a key without endorsements", new Action<TokenOptions>(o => o.KeyId = "no-endorsements-key")],
        ["a kid that names the msteams key over another key's signature", new Action<TokenOptions>(o => { o.KeyId = "skype-only-key"; o.HeaderKeyId = LocalBotIssuer.DefaultKeyId; })],
        ["no kid", new Action<TokenOptions>(o => o.HeaderKeyId = string.Empty)],
    ];

    [TestMethod]
    [DynamicData(nameof(ForgedTokens))]
    public async Task AForgedTokenIs401AndChangesNothing(string what, Action<TokenOptions> forge)
    {
        string conversation = "19:forged-" + Guid.NewGuid().ToString("N") + "@thread.v2";
        string token = _issuer.CreateToken(AppId, ServiceUrl, forge);

        await AssertRejectedAsync(what, conversation, token);
    }

    [TestMethod]
    [DataRow("a wrong audience", "22222222-2222-2222-2222-222222222222")]
    [DataRow("an empty audience", "")]
    [DataRow("the audience as api:// URI", "api://11111111-2222-3333-4444-555555555555")]
    public async Task ATokenForAnotherBotIs401AndChangesNothing(string what, string audience)
    {
        string conversation = "19:audience-" + Guid.NewGuid().ToString("N") + "@thread.v2";
        await AssertRejectedAsync(what, conversation, _issuer.CreateToken(audience, ServiceUrl));
    }

    [TestMethod]
    [DataRow("Bearer")]
    [DataRow("bearer {0}")]
    [DataRow("Basic {0}")]
    [DataRow("Bearer {0} extra")]
    [DataRow("Bearer not.a.jwt")]
    [DataRow("Bearer ...")]
    [DataRow("Bearer {0}{0}")]
    public async Task AMalformedAuthorizationHeaderIs401AndChangesNothing(string header)
    {
        string conversation = "19:header-" + Guid.NewGuid().ToString("N") + "@thread.v2";
        string value = string.Format(System.Globalization.CultureInfo.InvariantCulture, header, _issuer.CreateToken(AppId, ServiceUrl));
        await AssertRejectedAsync(header, conversation, rawAuthorization: value);
    }

    [TestMethod]
    public async Task AValidTokenReplayedForAnotherServiceUrlIs401AndNothingGoesThere()
    {
        string conversation = "19:replay-url-" + Guid.NewGuid().ToString("N") + "@thread.v2";
        string attacker = new Uri(_connector.BaseUrl, "attacker/").ToString();
        string token = _issuer.CreateToken(AppId, ServiceUrl);

        await AssertRejectedAsync("replayed for another serviceUrl", conversation, token, activity => activity["serviceUrl"] = attacker);
        Assert.IsFalse(_connector.Requests.Any(r => r.Path.StartsWith("/attacker/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task AValidTokenReplayedForAnotherChannelIs401()
    {
        string conversation = "19:replay-channel-" + Guid.NewGuid().ToString("N") + "@thread.v2";
        await AssertRejectedAsync("replayed for channel skype", conversation, _issuer.CreateToken(AppId, ServiceUrl), activity => activity["channelId"] = "skype");
    }

    [TestMethod]
    public async Task AValidTokenReplayedForAnotherTenantIs401ForASingleTenantBot()
    {
        // Channel tokens carry no tenant (PROTOCOL.md B.1), so only a single-tenant bot can tell: it refuses other tenants.
        await using var app = await StartAppAsync(new Dictionary<string, string?> { ["Bot:TenantId"] = _b.TenantId });
        using var client = app.Client();
        string token = _issuer.CreateToken(AppId, ServiceUrl);
        var ids = CorpusIdsFor(_b, _a);
        var own = Corpus.Message(ids, "help");
        own["conversation"]!["id"] = "19:own-" + Guid.NewGuid().ToString("N");
        Assert.AreEqual(HttpStatusCode.OK, (await PostAsync(client, own, token)).StatusCode, "the token is valid for the bot's own tenant");

        var before = await app.SnapshotAsync();
        var replayed = Corpus.Invoke(ids, "entry.save", Corpus.VerbData(ids)["entry.save"]);
        string conversation = "19:replay-tenant-" + Guid.NewGuid().ToString("N");
        replayed["conversation"]!["id"] = conversation;
        replayed["conversation"]!["tenantId"] = _a.TenantId;
        replayed["channelData"]!["tenant"]!["id"] = _a.TenantId;
        replayed["value"]!["action"]!["data"]!["postmortemId"] = _a.Postmortem.Id;

        var response = await PostAsync(client, replayed, token);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.IsEmpty(before.Diff(await app.SnapshotAsync()));
        Assert.IsNull(await app.Service<ConversationStore>().GetAsync(_a.TenantId, conversation));
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ASliceOfTheCorpusWithValidTokensBehavesAsInLocalMode()
    {
        using var client = _app.Client();
        var ids = await SeededPostmortem.IdsAsync(_app.Factory.Services, ServiceUrl, _b, _a, poolSize: 16);
        var corpus = Corpus.Build(ids);
        var slice = corpus.Where((_, i) => i % 8 == 0).ToList();
        var runner = new CaseRunner(_app, client, _b.TenantId, _a.TenantId);
        var clock = Stopwatch.StartNew();
        foreach (var attack in slice)
        {
            await runner.RunAsync(attack, () => _issuer.CreateToken(AppId, ServiceUrl));
        }

        TestContext.WriteLine($"{slice.Count} cases with valid tokens in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsEmpty(runner.Failures, string.Join("\n", runner.Failures));
        Assert.IsFalse(_connector.Requests.Any(r => r.Body.Contains(SeededPostmortem.SecretMarker, StringComparison.Ordinal)));
    }

    private static async Task AssertRejectedAsync(string what, string conversation, string? token = null, Action<JsonObject>? change = null, string? rawAuthorization = null)
    {
        using var client = _app.Client();
        var ids = CorpusIdsFor(_b, _a);
        foreach (var activity in new[] { Corpus.Message(ids, "new Forged outage"), Corpus.Invoke(ids, "action.status", Corpus.VerbData(ids)["action.status"]) })
        {
            activity["conversation"]!["id"] = conversation;
            change?.Invoke(activity);
            var before = await _app.SnapshotAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", rawAuthorization ?? "Bearer " + token);

            var response = await client.SendAsync(request);

            Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, $"{what}: {activity["type"]}");
            Assert.IsEmpty(before.Diff(await _app.SnapshotAsync()), what);
            Assert.IsNull(await _app.Service<ConversationStore>().GetAsync(_b.TenantId, conversation), what + ": no reference stored");
        }

        // No wait: a rejected activity never reaches the dispatcher (the only thing that replies), so what was not sent
        // by the time the 401 came back never will be.
        Assert.IsFalse(_connector.Requests.Any(r => r.Path.Contains(Uri.EscapeDataString(conversation), StringComparison.Ordinal)), what + ": nothing sent");
    }

    private static CorpusIds CorpusIdsFor(SeededPostmortem b, SeededPostmortem a) => new(
        ServiceUrl, b.TenantId, b.ConversationId, b.Postmortem.Id, b.Entry.Id, b.Entry.ETag!, b.Action.Id, b.Action.ETag!,
        a.TenantId, a.Postmortem.Id, a.Entry.Id, a.Entry.ETag!, a.Action.Id, a.Action.ETag!);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject activity, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative)) { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static Task<SecurityApp> StartAppAsync(Dictionary<string, string?>? extra = null)
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

        // A caller from the internet: in Azure mode the token, not the address, decides.
        return SecurityApp.StartAsync(IPAddress.Parse("52.112.0.1"), settings, services =>
            services.AddSingleton(sp => new ConnectorTokenProvider(
                sp.GetRequiredService<IOptions<BotOptions>>(), sp.GetRequiredService<TimeProvider>(), new FixedCredential())));
    }

    /// <summary>Stands in for Entra ID's token endpoint for the bot's outbound calls.</summary>
    private sealed class FixedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("outbound-token-for-security-tests", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
