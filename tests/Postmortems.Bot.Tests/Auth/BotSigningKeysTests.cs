using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Bot.Protocol.Auth;
using Postmortems.Testing;
using static Postmortems.Bot.Tests.Auth.AuthTestData;

namespace Postmortems.Bot.Tests.Auth;

/// <summary>Fetching and caching the signing keys, with a fake clock and a local issuer that counts its requests.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BotSigningKeysTests
{
    private LocalBotIssuer _issuer = null!;
    private HttpClient _httpClient = null!;
    private FakeTimeProvider _clock = null!;
    private BotTokenValidator _validator = null!;

    [TestInitialize]
    public async Task Start()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _issuer = await LocalBotIssuer.StartAsync(_clock);
        _httpClient = new HttpClient();
        _validator = Validator(OptionsFor(_issuer), _httpClient, _clock);
    }

    [TestCleanup]
    public async Task Stop()
    {
        _httpClient.Dispose();
        await _issuer.DisposeAsync();
    }

    [TestMethod]
    public async Task KeysAreCachedBetweenValidations()
    {
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid);
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid);

        Assert.AreEqual(1, _issuer.MetadataRequestCount);
        Assert.AreEqual(1, _issuer.KeysRequestCount);
    }

    [TestMethod]
    public async Task KeysAreRefreshedAfter24Hours()
    {
        await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));

        _clock.Advance(TimeSpan.FromHours(24));
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.AreEqual(2, _issuer.MetadataRequestCount);
    }

    [TestMethod]
    public async Task RotatedKeyIsPickedUpByARefreshOnUnknownKid()
    {
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid);

        _issuer.AddKey("rotated", ["msteams"]);
        _issuer.RemoveKey(LocalBotIssuer.DefaultKeyId);
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = "rotated"));

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.AreEqual(2, _issuer.MetadataRequestCount);
    }

    [TestMethod]
    public async Task FloodOfUnknownKidsCausesAtMostOneRefreshInFiveMinutes()
    {
        await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));
        Assert.AreEqual(1, _issuer.MetadataRequestCount);

        await FloodAsync(50);
        Assert.AreEqual(2, _issuer.MetadataRequestCount, "one forced refresh for the whole flood");

        // A key published during the quiet period waits for it to end.
        _issuer.AddKey("late", ["msteams"]);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await FloodAsync(50);
        Assert.IsFalse((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = "late"))).IsValid);
        Assert.AreEqual(2, _issuer.MetadataRequestCount);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o => o.KeyId = "late"));
        await FloodAsync(50);

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.AreEqual(3, _issuer.MetadataRequestCount);
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid, "known kids are unaffected");
    }

    [TestMethod]
    public async Task EndorsementsAreReadFromTheKeySet()
    {
        _issuer.AddKey("two-channels", ["msteams", "webchat"]);
        _issuer.AddKey("no-endorsements", null);
        var keys = new BotSigningKeys(_httpClient, Options.Create(OptionsFor(_issuer)), _clock);

        var all = await keys.GetAllAsync(CancellationToken.None);
        var twoChannels = await keys.FindAsync("two-channels", CancellationToken.None);
        var none = await keys.FindAsync("no-endorsements", CancellationToken.None);

        Assert.HasCount(3, all);
        Assert.IsNotNull(twoChannels);
        CollectionAssert.AreEqual(new[] { "msteams", "webchat" }, twoChannels.Endorsements.ToArray());
        Assert.AreEqual("two-channels", twoChannels.Key.KeyId);
        Assert.IsNotNull(none);
        Assert.IsEmpty(none.Endorsements);
    }

    [TestMethod]
    public async Task UnreachableKeysRejectTokensWithoutThrowing()
    {
        _issuer.IsUnavailable = true;

        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));

        Assert.IsFalse(result.IsValid);
        StringAssert.Contains(result.FailureReason, "503");
    }

    [TestMethod]
    public async Task FailedFetchIsNotRetriedByEveryRequest()
    {
        _issuer.IsUnavailable = true;

        for (int i = 0; i < 20; i++)
        {
            Assert.IsFalse((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid);
        }

        Assert.AreEqual(1, _issuer.MetadataRequestCount);
        _issuer.IsUnavailable = false;
        _clock.Advance(BotSigningKeys.FailedFetchRetryDelay);
        Assert.IsTrue((await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl))).IsValid);
    }

    [TestMethod]
    public async Task StaleKeysAreKeptWhenTheDailyRefreshFails()
    {
        await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));
        _issuer.IsUnavailable = true;

        _clock.Advance(TimeSpan.FromHours(25));
        var result = await ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl));

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.AreEqual(2, _issuer.MetadataRequestCount);
    }

    [TestMethod]
    public void PlainHttpMetadataIsRefusedExceptOnLoopback()
    {
        var options = OptionsFor(_issuer);
        options.OpenIdMetadataUrl = new Uri("http://login.botframework.com/v1/.well-known/openidconfiguration");

        Assert.ThrowsExactly<InvalidOperationException>(() => new BotSigningKeys(_httpClient, Options.Create(options), _clock));
    }

    [TestMethod]
    public async Task AddBotTokenValidationRegistersAWorkingValidator()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(OptionsFor(_issuer)));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddBotTokenValidation();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var validator = provider.GetRequiredService<BotTokenValidator>();
        var result = await validator.ValidateAsync(Bearer(_issuer.CreateToken(AppId, ServiceUrl)), Activity(), CancellationToken.None);

        Assert.IsTrue(result.IsValid, result.FailureReason);
        Assert.AreSame(validator, provider.GetRequiredService<BotTokenValidator>());
        Assert.AreSame(provider.GetRequiredService<BotSigningKeys>(), provider.GetRequiredService<BotSigningKeys>());
    }

    private Task<BotAuthenticationResult> ValidateAsync(string token) =>
        _validator.ValidateAsync(Bearer(token), Activity(), CancellationToken.None);

    private async Task FloodAsync(int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
            ValidateAsync(_issuer.CreateToken(AppId, ServiceUrl, o =>
            {
                o.Signing = TokenSigning.UnpublishedKey;
                o.KeyId = "forged-" + Guid.NewGuid().ToString("N");
            }))));
        Assert.IsTrue(results.All(r => !r.IsValid));
    }
}
