using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>The "Postmortems" compose-box search (composeExtension/query, PROTOCOL.md I.4) through the real pipeline and Azurite.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class SearchPostmortemsChatTests
{
    private const string Query = "composeExtension/query";

    private static JsonObject QueryValue(string text, string commandId = "searchPostmortems") => new()
    {
        ["commandId"] = commandId,
        ["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = text }),
        ["queryOptions"] = new JsonObject { ["skip"] = 0, ["count"] = 25 },
        ["commandContext"] = "compose",
    };

    private static List<JsonNode> Results(JsonNode? body)
    {
        Assert.AreEqual("result", body!["composeExtension"]!["type"]!.GetValue<string>(), body.ToJsonString());
        return [.. body["composeExtension"]!["attachments"]!.AsArray().Select(a => a!)];
    }

    [TestMethod]
    public async Task ATitleWordFindsThePostmortemAsACompactCardWithStatusSeverityAndOpenActions()
    {
        await using var chat = await StartAsync(settings: new Dictionary<string, string?> { ["Postmortems:PublicBaseUrl"] = "https://postmortems.contoso.com/" });
        await chat.SendAsync("new Checkout outage");
        await chat.SendAsync("new Login latency");

        var (status, body) = await chat.InvokeNamedAsync(Query, QueryValue("checkout"));

        Assert.AreEqual(HttpStatusCode.OK, status);
        var result = Results(body).Single();
        Assert.AreEqual("application/vnd.microsoft.card.thumbnail", result["preview"]!["contentType"]!.GetValue<string>());
        Assert.AreEqual("Checkout outage", result["preview"]!["content"]!["title"]!.GetValue<string>());
        var card = result["content"]!;
        Assert.AreEqual("Checkout outage", card["body"]![0]!["text"]!.GetValue<string>());
        Assert.AreEqual("Draft · Not set yet · 0 open actions", card["body"]![1]!["text"]!.GetValue<string>());
        StringAssert.StartsWith(card["actions"]![0]!["url"]!.GetValue<string>(), "https://postmortems.contoso.com/tab/postmortems/");
    }

    [TestMethod]
    public async Task ADateFindsThePostmortemsOfThatDayAndNothingElseMatchesSaysSo()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var byDate = Results((await chat.InvokeNamedAsync(Query, QueryValue(today))).Body);
        var none = (await chat.InvokeNamedAsync(Query, QueryValue("2001-01-01"))).Body!;

        Assert.HasCount(1, byDate);
        Assert.AreEqual("message", none["composeExtension"]!["type"]!.GetValue<string>());
        StringAssert.StartsWith(none["composeExtension"]!["text"]!.GetValue<string>(), "No postmortem matches");
    }

    [TestMethod]
    public async Task AnotherTenantsPostmortemsAreNeverFound()
    {
        await using var other = await StartAsync();
        await other.SendAsync("new Secret merger outage");
        await using var chat = await StartAsync();

        var body = (await chat.InvokeNamedAsync(Query, QueryValue("merger"))).Body!;

        Assert.AreEqual("message", body["composeExtension"]!["type"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task AnUnknownCommandIsAnsweredWithAMessageNotAnError()
    {
        await using var chat = await StartAsync();

        var query = await chat.InvokeNamedAsync(Query, QueryValue("x", commandId: "somethingElse"));
        var fetch = await chat.InvokeNamedAsync("composeExtension/fetchTask", new JsonObject { ["commandId"] = "somethingElse", ["commandContext"] = "message" });

        Assert.AreEqual(HttpStatusCode.OK, query.Status);
        Assert.AreEqual("message", query.Body!["composeExtension"]!["type"]!.GetValue<string>());
        Assert.AreEqual(HttpStatusCode.OK, fetch.Status);
        Assert.AreEqual("message", fetch.Body!["task"]!["type"]!.GetValue<string>());
    }
}
