using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

[TestClass]
public sealed class ConnectorTokenProviderTests
{
    private static readonly IOptions<BotOptions> Configured =
        Options.Create(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07", AppPassword = "not-a-real-secret" });

    [TestMethod]
    public async Task TheTokenIsAcquiredOnceAndReusedWhileValid()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1));
        using var tokens = new ConnectorTokenProvider(Configured, time, credential);

        string? first = await tokens.GetTokenAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(54));
        string? later = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.AreEqual("token-1", first);
        Assert.AreEqual("token-1", later);
        Assert.AreEqual(1, credential.Calls);
    }

    [TestMethod]
    public async Task TheTokenIsReplacedFiveMinutesBeforeItExpires()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1));
        using var tokens = new ConnectorTokenProvider(Configured, time, credential);
        await tokens.GetTokenAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(55));
        string? renewed = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.AreEqual("token-2", renewed);
        Assert.AreEqual(2, credential.Calls);
    }

    [TestMethod]
    public async Task ConcurrentCallersShareOneAcquisition()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1)) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var tokens = new ConnectorTokenProvider(Configured, time, credential);

        using var started = new CountdownEvent(20);
        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
        {
            started.Signal();
            return tokens.GetTokenAsync(CancellationToken.None);
        })).ToList();
        // Release the credential once every caller is running and the one acquisition has begun, not after a fixed time.
        Assert.IsTrue(started.Wait(TimeSpan.FromSeconds(60)), "all 20 callers started");
        for (var deadline = DateTime.UtcNow.AddSeconds(60); credential.Calls == 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(10);
        }

        credential.Gate.SetResult();
        string?[] results = await Task.WhenAll(callers);

        Assert.AreEqual(1, credential.Calls);
        Assert.IsTrue(results.All(t => t == "token-1"));
    }

    [TestMethod]
    public async Task LocalModeHasNoTokenAndNeverAsksTheCredential()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1));
        using var tokens = new ConnectorTokenProvider(Options.Create(new BotOptions()), time, credential);

        Assert.IsNull(await tokens.GetTokenAsync(CancellationToken.None));
        Assert.AreEqual(0, credential.Calls);
    }

    [TestMethod]
    public async Task TheTokenIsAskedForTheConnectorScope()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1));
        using var tokens = new ConnectorTokenProvider(Configured, time, credential);

        await tokens.GetTokenAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "https://api.botframework.com/.default" }, credential.LastScopes.ToArray());
    }

    [TestMethod]
    public void ASecretMeansClientCredentialsAndNoSecretMeansTheManagedIdentity()
    {
        var withSecret = ConnectorTokenProvider.CreateCredential(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07", AppPassword = "s" });
        var singleTenant = ConnectorTokenProvider.CreateCredential(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07", AppPassword = "s", TenantId = "00000000-0000-0000-0000-0000000000a1" });
        var managedIdentity = ConnectorTokenProvider.CreateCredential(new BotOptions { AppId = "00000000-0000-0000-0000-00000000b07" });
        var local = ConnectorTokenProvider.CreateCredential(new BotOptions());

        Assert.IsInstanceOfType<ClientSecretCredential>(withSecret);
        Assert.IsInstanceOfType<ClientSecretCredential>(singleTenant);
        Assert.IsInstanceOfType<ManagedIdentityCredential>(managedIdentity);
        Assert.IsNull(local);
    }

    [TestMethod]
    public async Task AFailedAcquisitionIsNotCachedAndTheNextCallTriesAgain()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeCredential(time, TimeSpan.FromHours(1)) { Gate = new TaskCompletionSource() };
        credential.Gate.SetException(new AuthenticationFailedException("AADSTS7000215: Invalid client secret (simulated)."));
        using var tokens = new ConnectorTokenProvider(Configured, time, credential);

        await Assert.ThrowsExactlyAsync<AuthenticationFailedException>(() => tokens.GetTokenAsync(CancellationToken.None));
        credential.Gate = null;
        string? token = await tokens.GetTokenAsync(CancellationToken.None);

        Assert.AreEqual("token-2", token);
    }
}
