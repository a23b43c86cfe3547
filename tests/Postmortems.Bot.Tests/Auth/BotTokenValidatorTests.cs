using Microsoft.Extensions.Time.Testing;
using Postmortems.Bot.Protocol.Auth;
using Postmortems.Testing;
using static Postmortems.Bot.Tests.Auth.AuthTestData;

namespace Postmortems.Bot.Tests.Auth;

/// <summary>Each rule of the channel-token check, against a real local issuer over HTTP.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BotTokenValidatorTests
{
    private static LocalBotIssuer _issuer = null!;

    private HttpClient _httpClient = null!;
    private FakeTimeProvider _clock = null!;
    private BotTokenValidator _validator = null!;

    [ClassInitialize]
    public static async Task StartIssuer(TestContext context) => _issuer = await LocalBotIssuer.StartAsync();

    [ClassCleanup]
    public static async Task StopIssuer() => await _issuer.DisposeAsync();

    [TestInitialize]
    public void CreateValidator()
    {
        _httpClient = new HttpClient();
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _validator = Validator(OptionsFor(_issuer), _httpClient, _clock);
    }

    [TestCleanup]
    public void DisposeClient() => _httpClient.Dispose();

    [TestMethod]
    public async Task ValidChannelTokenIsAccepted()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.IsNull(result.FailureReason);
        Assert.IsNotNull(result.Identity);
        Assert.AreEqual(ServiceUrl, result.Identity.FindFirst("serviceurl")?.Value);
        Assert.AreEqual(AppId, result.Identity.FindFirst("aud")?.Value);
    }

    [TestMethod]
    public async Task ATokenCheckedOnceStillHasEachActivitysChannelAndServiceUrlChecked()
    {
        string token = _issuer.CreateToken(AppId, ServiceUrl);
        Assert.IsTrue((await ValidateAsync(token)).IsValid);

        AssertRejected(await ValidateAsync(token, Activity(serviceUrl: "https://attacker.example/")));
        AssertRejected(await ValidateAsync(token, Activity(channelId: "webchat")));
        Assert.IsTrue((await ValidateAsync(token)).IsValid);
    }

    [TestMethod]
    public async Task ATamperedCopyOfATokenCheckedBeforeIsStillRejected()
    {
        string genuine = _issuer.CreateToken(AppId, ServiceUrl);
        Assert.IsTrue((await ValidateAsync(genuine)).IsValid);
        string[] parts = genuine.Split('.');
        string other = _issuer.CreateToken(AppId, "https://attacker.example/");

        AssertRejected(await ValidateAsync($"{parts[0]}.{other.Split('.')[1]}.{parts[2]}", Activity(serviceUrl: "https://attacker.example/")));
        char flipped = parts[2][10] == 'A' ? 'B' : 'A';
        AssertRejected(await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2][..10]}{flipped}{parts[2][11..]}"));
    }

    [TestMethod]
    public async Task TokenSignedWithRs512IsAccepted()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Algorithm = "RS512"));

        Assert.IsTrue(result.IsValid, result.FailureReason);
    }

    [TestMethod]
    public async Task RequestWithoutAuthorizationHeaderIsRejected()
    {
        AssertRejected(await _validator.ValidateAsync(null, Activity(), CancellationToken.None));
        AssertRejected(await _validator.ValidateAsync("", Activity(), CancellationToken.None));
    }

    [TestMethod]
    public async Task LowercaseBearerSchemeIsRejected()
    {
        string token = _issuer.CreateToken(AppId, ServiceUrl);

        AssertRejected(await _validator.ValidateAsync("bearer " + token, Activity(), CancellationToken.None));
    }

    [TestMethod]
    public async Task HeaderThatIsNotExactlyTwoPartsIsRejected()
    {
        string token = _issuer.CreateToken(AppId, ServiceUrl);

        AssertRejected(await _validator.ValidateAsync("Bearer  " + token, Activity(), CancellationToken.None));
        AssertRejected(await _validator.ValidateAsync("Bearer " + token + " extra", Activity(), CancellationToken.None));
        AssertRejected(await _validator.ValidateAsync(token, Activity(), CancellationToken.None));
    }

    [TestMethod]
    public async Task MalformedTokenIsRejectedWithoutThrowing()
    {
        AssertRejected(await ValidateAsync("not-a-jwt"));
        AssertRejected(await ValidateAsync("e30.e30.e30"));
        AssertRejected(await ValidateAsync("%%%.***.!!!"));
    }

    [TestMethod]
    public async Task TokenWithAForgedSignatureIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Signing = TokenSigning.UnpublishedKey));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "signature", StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public async Task TokenWhosePayloadWasChangedAfterSigningIsRejected()
    {
        string genuine = _issuer.CreateToken(AppId, ServiceUrl);
        string other = _issuer.CreateToken(AppId, "https://attacker.example/");
        string[] parts = genuine.Split('.');
        string tampered = $"{parts[0]}.{other.Split('.')[1]}.{parts[2]}";

        AssertRejected(await ValidateAsync(tampered, Activity(serviceUrl: "https://attacker.example/")));
    }

    [TestMethod]
    public async Task TokenSignedByUnknownKeyIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o =>
        {
            o.Signing = TokenSigning.UnpublishedKey;
            o.KeyId = "never-published";
        }));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "never-published");
    }

    [TestMethod]
    public async Task TokenWithoutKidIsRejected()
    {
        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.HeaderKeyId = "")));
    }

    [TestMethod]
    public async Task UnsignedTokenWithAlgNoneIsRejected()
    {
        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Signing = TokenSigning.None)));
    }

    [TestMethod]
    public async Task TokenHmacSignedWithThePublicKeyIsRejected()
    {
        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Signing = TokenSigning.HmacWithPublicKey)));
    }

    [TestMethod]
    public async Task TokenFromAnotherIssuerIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Issuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "issuer");
    }

    [TestMethod]
    public async Task TokenForAnotherAudienceIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken("00000000-0000-0000-0000-000000000001", ServiceUrl));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "audience", StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public async Task TokenExpiredBeyondTheFiveMinuteSkewIsRejected()
    {
        var now = _clock.GetUtcNow();
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o =>
        {
            o.NotBefore = now.AddHours(-1);
            o.Expires = now.AddMinutes(-6);
        }));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "expired");
    }

    [TestMethod]
    public async Task TokenExpiredWithinTheFiveMinuteSkewIsAccepted()
    {
        var now = _clock.GetUtcNow();
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o =>
        {
            o.NotBefore = now.AddHours(-1);
            o.Expires = now.AddMinutes(-4);
        }));

        Assert.IsTrue(result.IsValid, result.FailureReason);
    }

    [TestMethod]
    public async Task TokenThatBecomesValidOnlyBeyondTheSkewIsRejected()
    {
        var now = _clock.GetUtcNow();
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o =>
        {
            o.NotBefore = now.AddMinutes(6);
            o.Expires = now.AddHours(1);
        }));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "not valid before");
    }

    [TestMethod]
    public async Task TokenWithoutExpiryIsRejected()
    {
        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.Expires = null)));
    }

    [TestMethod]
    public async Task ExpiryFollowsTheInjectedClock()
    {
        string token = _issuer.CreateToken(AppId, ServiceUrl);

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(4));
        Assert.IsTrue((await ValidateAsync(token)).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(2));
        AssertRejected(await ValidateAsync(token));
    }

    [TestMethod]
    public async Task TokenSignedByAKeyThatDoesNotEndorseTheChannelIsRejected()
    {
        string kid = "webchat-" + Guid.NewGuid().ToString("N");
        _issuer.AddKey(kid, ["webchat", "directline"]);

        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = kid));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "endorse");
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = kid), Activity(channelId: "webchat"))).IsValid);
    }

    [TestMethod]
    public async Task TokenSignedByAKeyWithoutEndorsementsIsRejected()
    {
        string kid = "bare-" + Guid.NewGuid().ToString("N");
        _issuer.AddKey(kid, null);

        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = kid)));
    }

    [TestMethod]
    public async Task ActivityWithoutChannelIdIsRejected()
    {
        var activity = Activity();
        activity.ChannelId = null;

        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl), activity));
    }

    [TestMethod]
    public async Task TokenWithoutServiceUrlClaimIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.OmitServiceUrl = true));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "serviceurl");
    }

    [TestMethod]
    public async Task TokenForAnotherServiceUrlIsRejected()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, "https://smba.trafficmanager.net/emea/"));

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "serviceurl");
    }

    [TestMethod]
    public async Task ServiceUrlThatDiffersOnlyByATrailingSlashIsRejected()
    {
        AssertRejected(await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl.TrimEnd('/'))));
    }

    [TestMethod]
    public async Task ServiceUrlIsComparedIgnoringCase()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl.ToUpperInvariant()));

        Assert.IsTrue(result.IsValid, result.FailureReason);
    }

    [TestMethod]
    public async Task SingleTenantBotRejectsAnActivityFromAnotherTenant()
    {
        var validator = Validator(OptionsFor(_issuer, tenantId: TenantId), _httpClient, _clock);
        string token = _issuer.CreateToken(AppId, ServiceUrl);

        var result = await validator.ValidateAsync(Bearer(token), Activity(tenantId: "ffffffff-0000-4000-8000-000000000000"), CancellationToken.None);

        AssertRejected(result);
        StringAssert.Contains(result.FailureReason, "tenant");
    }

    [TestMethod]
    public async Task SingleTenantBotAcceptsAnActivityFromItsTenant()
    {
        var validator = Validator(OptionsFor(_issuer, tenantId: TenantId), _httpClient, _clock);

        var result = await validator.ValidateAsync(Bearer(_issuer.CreateToken(AppId, ServiceUrl)), Activity(), CancellationToken.None);

        Assert.IsTrue(result.IsValid, result.FailureReason);
    }

    [TestMethod]
    public async Task MultiTenantBotAcceptsAnyTenant()
    {
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl), Activity(tenantId: "ffffffff-0000-4000-8000-000000000000"));

        Assert.IsTrue(result.IsValid, result.FailureReason);
    }

    [TestMethod]
    public async Task AskingInLocalModeIsAProgrammingError()
    {
        var options = OptionsFor(_issuer);
        options.AppId = null;
        var validator = Validator(options, _httpClient, _clock);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => validator.ValidateAsync(null, Activity(), CancellationToken.None));
    }

    private Task<BotAuthenticationResult> ValidateAsync(string token, Postmortems.Bot.Protocol.Activity? activity = null) =>
        _validator.ValidateAsync(Bearer(token), activity ?? Activity(), CancellationToken.None);

    private static void AssertRejected(BotAuthenticationResult result)
    {
        Assert.IsFalse(result.IsValid);
        Assert.IsFalse(string.IsNullOrWhiteSpace(result.FailureReason));
        Assert.IsNull(result.Identity);
    }
}
