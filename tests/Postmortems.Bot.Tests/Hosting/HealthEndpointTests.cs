using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Hosting;

/// <summary>The host's pipeline (WebApplicationFactory) with real Azurite behind it.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class HealthEndpointTests
{
    [TestMethod]
    public async Task HealthzAnswers200WhenStorageIsReachable()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var factory = AppWith(azurite.ConnectionString);
        using var client = factory.CreateClient();

        var (status, body) = await WaitForHealthAsync(client, HttpStatusCode.OK);

        Assert.AreEqual(HttpStatusCode.OK, status, body);
        using var json = JsonDocument.Parse(body);
        Assert.AreEqual("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.AreEqual($"Storage is reachable and its {Postmortems.Core.Storage.TableNames.All.Count} tables exist.", json.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("description").GetString());
    }

    [TestMethod]
    public async Task HealthzAnswers503WhenStorageIsDownAndTheAppStillRuns()
    {
        int closedPort = FreePort.Next();
        string unreachable = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;";
        await using var factory = AppWith(unreachable);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.AreEqual("Unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("Exception", body, "no internals leak to an anonymous caller");
    }

    [TestMethod]
    public async Task TheAppListensOnLocalhost3978ByDefault()
    {
        // Storage points at the test's Azurite, never at a developer's own one; Urls keeps its default.
        await using var factory = AppWith((await SharedAzurite.GetAsync()).ConnectionString);

        var configuration = factory.Services.GetRequiredService<IConfiguration>();

        Assert.AreEqual("http://localhost:3978", configuration["Urls"]);
    }

    [TestMethod]
    public async Task AnInvalidSettingStopsTheAppWithAClearMessage()
    {
        await using var factory = AppWith((await SharedAzurite.GetAsync()).ConnectionString).WithWebHostBuilder(b =>
            b.UseSetting("Postmortems:FollowUpAfterDays", "0"));

        var error = Assert.ThrowsExactly<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.CreateClient());

        StringAssert.Contains(error.Message, "Postmortems:FollowUpAfterDays must be between 1 and 180.");
    }

    internal static WebApplicationFactory<Program> AppWith(string storageConnectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Storage:ConnectionString", storageConnectionString)
             .UseSetting("Storage:TimeoutSeconds", "1"));

    /// <summary>The tables are created in the background at start-up; health turns 200 once they exist.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> WaitForHealthAsync(HttpClient client, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == wanted || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }
}
