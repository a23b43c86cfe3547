using System.Net;
using System.Text.Json.Nodes;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>Invoke activities answered in the HTTP response, in the shapes of the Universal Actions and dialog specs.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class InvokeTests
{
    private static AzuriteServer _azurite = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => _azurite = await SharedAzurite.GetAsync();

    [TestMethod]
    public async Task CardActionIsAnsweredWithTheUpdatedCard()
    {
        var (status, body) = await InvokeAsync("adaptiveCard/action", TestActivities.ExecuteValue("help"));

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(200, body["statusCode"]!.GetValue<int>());
        Assert.AreEqual("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.AreEqual("AdaptiveCard", body["value"]!["type"]!.GetValue<string>());
        Assert.AreEqual("1.5", body["value"]!["version"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task UnknownVerbIsAnErrorTheUserCanReadNotA500()
    {
        var (status, body) = await InvokeAsync("adaptiveCard/action", TestActivities.ExecuteValue("noSuchVerb"));

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(400, body["statusCode"]!.GetValue<int>());
        Assert.AreEqual("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        StringAssert.Contains(body["value"]!["message"]!.GetValue<string>(), "Type help");
    }

    [TestMethod]
    public async Task CardActionWithoutValueIs400WithTheErrorShape()
    {
        var (status, body) = await InvokeAsync("adaptiveCard/action", null);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual(400, body["statusCode"]!.GetValue<int>());
        Assert.AreEqual("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.AreEqual("BadRequest", body["value"]!["code"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task CardActionOfAnotherTypeIsNotSupported()
    {
        var value = TestActivities.ExecuteValue("help");
        value["action"]!["type"] = "Action.Submit";

        var (status, body) = await InvokeAsync("adaptiveCard/action", value);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("NotSupported", body["value"]!["code"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task DialogFetchAnswersWithAContinueTask()
    {
        var (status, body) = await InvokeAsync("task/fetch", new JsonObject { ["data"] = new JsonObject(), ["context"] = new JsonObject { ["theme"] = "dark" } });

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("continue", body["task"]!["type"]!.GetValue<string>());
        Assert.AreEqual("application/vnd.microsoft.card.adaptive", body["task"]!["value"]!["card"]!["contentType"]!.GetValue<string>());
        Assert.AreEqual("AdaptiveCard", body["task"]!["value"]!["card"]!["content"]!["type"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task DialogSubmitAnswersWithAMessageTask()
    {
        var (status, body) = await InvokeAsync("task/submit", new JsonObject { ["data"] = new JsonObject() });

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("message", body["task"]!["type"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task UnknownInvokeNameIsAnswered501()
    {
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative),
            TestActivities.Json(TestActivities.Invoke("http://127.0.0.1:9/", "composeExtension/querySettingUrl", new JsonObject())));

        Assert.AreEqual(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> InvokeAsync(string name, JsonNode? value)
    {
        await using var app = BotApp.Create(_azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();
        var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(TestActivities.Invoke("http://127.0.0.1:9/", name, value)));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
