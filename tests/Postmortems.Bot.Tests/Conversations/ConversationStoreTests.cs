using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;
using Postmortems.Bot.Conversations;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Conversations;

[TestClass]
[TestCategory("Integration")]
public sealed class ConversationStoreTests
{
    private static ServiceProvider _services = null!;

    private static ConversationStore Store => new(_services.GetRequiredService<PostmortemTables>());

    [ClassInitialize]
    public static async Task StartStorage(TestContext context) =>
        _services = await TestStorage.CreateAsync((await SharedAzurite.GetAsync()).ConnectionString);

    [ClassCleanup]
    public static async Task StopStorage() => await _services.DisposeAsync();

    [TestMethod]
    public async Task ReferenceRoundTripsAndTheNewestServiceUrlWins()
    {
        string tenant = TestData.NewTenantId();
        var reference = Reference("19:abc@thread.tacv2;messageid=1575667808184", "https://smba.trafficmanager.net/emea/");

        await Store.SaveAsync(tenant, reference);
        await Store.SaveAsync(tenant, reference with { ServiceUrl = "https://smba.trafficmanager.net/amer/" });
        var stored = await Store.GetAsync(tenant, reference.ConversationId);

        Assert.AreEqual("https://smba.trafficmanager.net/amer/", stored!.ServiceUrl);
        Assert.AreEqual(reference with { ServiceUrl = stored.ServiceUrl, ETag = stored.ETag }, stored);
    }

    [TestMethod]
    public async Task ConcurrentSavesOfOneConversationAllLandWithoutAnError()
    {
        string tenant = TestData.NewTenantId();
        var saves = Enumerable.Range(0, 3).Select(i => Store.SaveAsync(tenant, Reference("a:1", $"https://smba.trafficmanager.net/r{i}/")));

        await Task.WhenAll(saves);

        StringAssert.StartsWith((await Store.GetAsync(tenant, "a:1"))!.ServiceUrl, "https://smba.trafficmanager.net/r");
    }

    [TestMethod]
    public async Task AnotherTenantDoesNotSeeTheReferenceAndDeletingRemovesIt()
    {
        string tenant = TestData.NewTenantId();
        await Store.SaveAsync(tenant, Reference("a:2", "https://smba.trafficmanager.net/emea/"));

        Assert.IsNull(await Store.GetAsync(TestData.NewTenantId(), "a:2"));
        await Store.DeleteAsync(tenant, "a:2");
        Assert.IsNull(await Store.GetAsync(tenant, "a:2"));
    }

    private static StoredConversation Reference(string conversationId, string serviceUrl) => new()
    {
        ConversationId = conversationId,
        ServiceUrl = serviceUrl,
        BotId = "28:11111111-2222-3333-4444-555555555555",
        BotName = "Blameless Postmortems",
        ConversationType = "channel",
        ChannelId = "msteams",
        TeamId = "19:team@thread.tacv2",
        UpdatedAt = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero),
    };
}
