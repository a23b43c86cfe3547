using System.Net;
using Postmortems.Tabs.Auth;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests;

/// <summary>Teams SSO tokens (PROTOCOL.md F.3) against a local Entra stand-in, and where the local identity may be used.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabAuthTests
{
    private static readonly string Tenant = Guid.NewGuid().ToString();
    private static readonly string User = Guid.NewGuid().ToString();
    private static LocalEntraIssuer _issuer = null!;
    private static TabApp _app = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _issuer = await LocalEntraIssuer.StartAsync();
        _app = await TabApp.StartAsync(_issuer);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [TestMethod]
    public async Task TheTabSchemeIsNotTheHostsDefaultSoOtherRoutesNeverRunIt()
    {
        // ASP.NET Core makes a lone scheme the default, and then authenticates every request with it: each bot
        // activity's token would be checked against the tab's keys first, fail, and be checked again by the bot.
        var schemes = _app.Service<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();

        Assert.IsNull(await schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.IsNull(await schemes.GetDefaultChallengeSchemeAsync());
    }

    [TestMethod]
    public async Task AV2TokenForTheClientIdIdentifiesTheUserAndTenant()
    {
        using var client = _app.Client(_issuer.CreateToken(TabApp.ClientId, Tenant, User, "Megan Bowen"));

        var me = await TabApp.JsonAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));

        Assert.AreEqual(Tenant, me.GetProperty("tenantId").GetString());
        Assert.AreEqual(User, me.GetProperty("userId").GetString());
        Assert.AreEqual("Megan Bowen", me.GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task AV1TokenForTheApplicationIdUriIsAccepted()
    {
        using var client = _app.Client(_issuer.CreateToken(TabApp.ApplicationIdUri, Tenant, User, configure: o => o.Version = 1));

        var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task SigningKeysAreFetchedOnceAndCached()
    {
        for (int i = 0; i < 3; i++)
        {
            using var client = _app.Client(_issuer.CreateToken(TabApp.ClientId, Tenant, User));
            Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        }

        Assert.AreEqual(1, _issuer.KeysRequestCount);
    }

    [TestMethod]
    [DataRow("expired")]
    [DataRow("not yet valid")]
    [DataRow("no expiry")]
    [DataRow("wrong audience")]
    [DataRow("issuer of another tenant")]
    [DataRow("issuer not Entra")]
    [DataRow("no tid")]
    [DataRow("no oid")]
    [DataRow("no scope")]
    [DataRow("unsigned (alg none)")]
    [DataRow("HS256 with the public key")]
    [DataRow("signed by another key")]
    [DataRow("not a JWT")]
    public async Task ABadTokenIsRefusedWith401ProblemDetails(string fault)
    {
        var now = DateTimeOffset.UtcNow;
        string token = fault switch
        {
            "expired" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => { o.NotBefore = now.AddHours(-2); o.Expires = now.AddMinutes(-6); }),
            "not yet valid" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.NotBefore = now.AddMinutes(10)),
            "no expiry" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Expires = null),
            "wrong audience" => _issuer.CreateToken("22222222-3333-4444-5555-666666666666", Tenant, User),
            "issuer of another tenant" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Issuer = $"https://login.microsoftonline.com/{Guid.NewGuid()}/v2.0"),
            "issuer not Entra" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Issuer = $"https://evil.example.com/{Tenant}/v2.0"),
            "no tid" => _issuer.CreateToken(TabApp.ClientId, string.Empty, User, configure: o => o.Issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0"),
            "no oid" => _issuer.CreateToken(TabApp.ClientId, Tenant, string.Empty),
            "no scope" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Scope = "User.Read"),
            "unsigned (alg none)" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Signing = TokenSigning.None),
            "HS256 with the public key" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Signing = TokenSigning.HmacWithPublicKey),
            "signed by another key" => _issuer.CreateToken(TabApp.ClientId, Tenant, User, configure: o => o.Signing = TokenSigning.UnpublishedKey),
            _ => "not-a-jwt",
        };
        using var client = _app.Client(token);

        var response = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        await AssertUnauthorizedAsync(response);
    }

    [TestMethod]
    public async Task WithAClientIdNoTokenIs401EvenInDevelopmentOnLoopback()
    {
        using var client = _app.Client();

        await AssertUnauthorizedAsync(await client.GetAsync(new Uri("/api/postmortems", UriKind.Relative)));
    }

    [TestMethod]
    public async Task WithATenantIdOnlyThatTenantsTokensAreAccepted()
    {
        string allowed = Guid.NewGuid().ToString();
        await using var app = await TabApp.StartAsync(_issuer, settings: new Dictionary<string, string?> { ["Auth:TenantId"] = allowed });

        using var ours = app.Client(_issuer.CreateToken(TabApp.ClientId, allowed, User));
        using var theirs = app.Client(_issuer.CreateToken(TabApp.ClientId, Tenant, User));

        Assert.AreEqual(HttpStatusCode.OK, (await ours.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        await AssertUnauthorizedAsync(await theirs.GetAsync(new Uri("/api/me", UriKind.Relative)));
    }

    [TestMethod]
    public async Task TheLocalIdentityAnswersInDevelopmentOnLoopbackWithoutClientId()
    {
        await using var app = await TabApp.StartAsync(issuer: null);
        using var client = app.Client();

        var me = await TabApp.JsonAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));

        Assert.AreEqual(LocalIdentity.TenantId, me.GetProperty("tenantId").GetString());
        Assert.AreEqual(LocalIdentity.UserId, me.GetProperty("userId").GetString());
        Assert.AreEqual("Alex Wilber", me.GetProperty("name").GetString());
        Assert.AreEqual(LocalIdentity.UserId, TestData.Alex.ObjectId, "the Agents Playground's user, so the chat's actions show in the tab");
    }

    [TestMethod]
    public async Task TheLocalIdentityIsNeverUsedOffLoopback()
    {
        await using var app = await TabApp.StartAsync(issuer: null, caller: IPAddress.Parse("10.1.2.3"));
        using var client = app.Client();

        await AssertUnauthorizedAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));
    }

    [TestMethod]
    public async Task TheLocalIdentityIsNeverUsedThroughATunnel()
    {
        await using var app = await TabApp.StartAsync(issuer: null);
        using var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        await AssertUnauthorizedAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));
    }

    [TestMethod]
    public async Task TheLocalIdentityIsNeverUsedOutsideDevelopment()
    {
        await using var app = await TabApp.StartAsync(issuer: null, environment: "Production");
        using var client = app.Client();

        await AssertUnauthorizedAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));
    }

    [TestMethod]
    public async Task WithoutAClientIdATokenIsRefusedAndNoKeysAreFetched()
    {
        await using var issuer = await LocalEntraIssuer.StartAsync();
        await using var app = await TabApp.StartAsync(issuer: null, settings: new Dictionary<string, string?> { ["Auth:MetadataAddress"] = issuer.MetadataUrl.AbsoluteUri });
        using var client = app.Client(issuer.CreateToken(TabApp.ClientId, Tenant, User));

        await AssertUnauthorizedAsync(await client.GetAsync(new Uri("/api/me", UriKind.Relative)));
        Assert.AreEqual(0, issuer.KeysRequestCount);
    }

    [TestMethod]
    public async Task AStorageOutageIs503ProblemDetailsWithoutInternals()
    {
        string deadStorage = AzuriteServer.ConnectionStringFor(FreePort.Next());
        await using var app = await TabApp.StartAsync(
            issuer: null,
            settings: new Dictionary<string, string?> { ["Storage:TimeoutSeconds"] = "1" },
            storageConnectionString: deadStorage);
        using var client = app.Client();

        var problem = await TabApp.ProblemAsync(await client.GetAsync(new Uri("/api/postmortems", UriKind.Relative)), HttpStatusCode.ServiceUnavailable);

        Assert.DoesNotContain("127.0.0.1", problem.GetRawText());
        Assert.DoesNotContain("Exception", problem.GetRawText());
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var problem = await TabApp.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("IDX", problem.GetRawText(), "no token-library details leak");
    }
}
