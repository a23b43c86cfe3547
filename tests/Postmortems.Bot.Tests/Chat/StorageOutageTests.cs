using System.Net;
using System.Text.Json.Nodes;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Tests.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>With storage down, people are told kindly that nothing was saved, and what they typed is kept.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class StorageOutageTests
{
    [TestMethod]
    public async Task ACommandDuringAStorageOutageIsAnsweredWithAKindNotSavedMessage()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        await using var app = BotApp.Create(UnreachableStorage(), IPAddress.Loopback, new Dictionary<string, string?> { ["Storage:TimeoutSeconds"] = "1" });
        using var client = app.CreateClient();
        string serviceUrl = new Uri(connector.BaseUrl, "svc/").ToString();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Message(serviceUrl, "new Checkout outage", id: "m1")));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var reply = await connector.WaitForRequestAsync(r => r.Path.EndsWith("/activities/m1", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.AreEqual(ActivityDispatcher.StorageDownText, JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task ACardSubmittedDuringAStorageOutageIsAnsweredWithAnErrorNotA500()
    {
        await using var app = BotApp.Create(UnreachableStorage(), IPAddress.Loopback, new Dictionary<string, string?> { ["Storage:TimeoutSeconds"] = "1" });
        using var client = app.CreateClient();
        var value = TestActivities.ExecuteValue("entry.save", new JsonObject { ["postmortemId"] = "22eadf1c7dda5280eccf", ["actor"] = "On-call" });

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Invoke("http://127.0.0.1:9/", "adaptiveCard/action", value)));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(503, body["statusCode"]!.GetValue<int>());
        StringAssert.Contains(body["value"]!["message"]!.GetValue<string>(), "was not saved");
    }

    private static string UnreachableStorage() =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;";
}
