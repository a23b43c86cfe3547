using Azure.Identity;
using Microsoft.Kiota.Abstractions;
using Postmortems.GraphSync.Graph;
using Postmortems.Testing;
using static Postmortems.GraphSync.Tests.Graph.GraphTestSupport;

namespace Postmortems.GraphSync.Tests.Graph;

[TestClass]
[TestCategory("Integration")]
public sealed class GraphServiceClientFactoryTests
{
    [TestMethod]
    public async Task TheSdkDoesNotRetryAServiceUnavailableSoTheOutboxSeesEveryFailure()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("GET", "/users/someone", 503, retryAfter: TimeSpan.FromSeconds(1), times: 3);
        var client = Client(server);

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Users["someone"].GetAsync());

        Assert.AreEqual(503, error.ResponseStatusCode);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    public async Task RequestsGoToTheConfiguredBaseUrlWithTheCredentialsToken()
    {
        await using var server = await FakeGraphServer.StartAsync();

        var user = await Client(server).Users["someone"].GetAsync();

        Assert.AreEqual("someone@contoso.test", user!.Mail);
        var request = server.Requests.Single();
        Assert.AreEqual("/v1.0/users/someone", request.Path);
        Assert.AreEqual($"Bearer {FixedTokenCredential.Token}", request.Header("Authorization"));
    }

    [TestMethod]
    public void AClientSecretMeansAnAppRegistrationCredential()
    {
        var credential = GraphServiceClientFactory.CreateCredential(new GraphOptions
        {
            TenantId = "66666666-7777-8888-9999-000000000000",
            ClientId = "11111111-2222-3333-4444-555555555555",
            ClientSecret = "not-a-real-secret",
        });

        Assert.IsInstanceOfType<ClientSecretCredential>(credential);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("11111111-2222-3333-4444-555555555555")]
    public void WithoutASecretAManagedIdentityIsUsed(string? clientId)
    {
        var credential = GraphServiceClientFactory.CreateCredential(new GraphOptions { TenantId = "66666666-7777-8888-9999-000000000000", ClientId = clientId });

        Assert.IsInstanceOfType<ManagedIdentityCredential>(credential);
    }

    [TestMethod]
    public void ASecretWithoutAClientIdIsRefusedWithTheSettingsToFix()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => GraphServiceClientFactory.CreateCredential(new GraphOptions
        {
            TenantId = "66666666-7777-8888-9999-000000000000",
            ClientSecret = "not-a-real-secret",
        }));

        Assert.Contains("Graph:ClientId", error.Message);
    }
}
