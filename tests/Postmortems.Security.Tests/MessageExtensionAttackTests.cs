using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>
/// Bad input for the message extension ("Add to postmortem timeline" and the "Postmortems" search, PROTOCOL.md I): every
/// case is answered without a 5xx, with a clear message in the dialog or a clean refusal, and stores nothing (only a
/// well-formed save may write, and only in the sender's tenant).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MessageExtensionAttackTests
{
    private const string FetchTask = "composeExtension/fetchTask";
    private const string SubmitAction = "composeExtension/submitAction";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task EveryBadMessagePayloadAndForeignSubmitIsAnsweredClearlyAndStoresNothing()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        await using var app = await SecurityApp.StartAsync(IPAddress.Loopback);
        using var client = app.Client();
        var a = await SeededPostmortem.CreateAsync(app.Factory.Services, TestData.NewTenantId(), "19:chat-a@thread.v2", secret: true);
        var b = await SeededPostmortem.CreateAsync(app.Factory.Services, TestData.NewTenantId(), "19:chat-b@thread.v2", secret: false);
        var otherChat = await SeededPostmortem.CreateAsync(app.Factory.Services, b.TenantId, "19:chat-b-other@thread.v2", secret: false);
        var ids = await SeededPostmortem.IdsAsync(app.Factory.Services, new Uri(connector.BaseUrl, "svc/").ToString(), b, a, poolSize: 1);
        var aBefore = (await app.SnapshotAsync()).OfTenant(a.TenantId);

        var cases = Cases(ids, otherChat.Postmortem.Id).ToList();
        var runner = new CaseRunner(app, client, b.TenantId, a.TenantId);
        foreach (var attack in cases)
        {
            await runner.RunAsync(attack);
        }

        Assert.IsEmpty(runner.Failures, string.Join("\n", runner.Failures));
        Assert.IsEmpty(aBefore.Diff((await app.SnapshotAsync()).OfTenant(a.TenantId)), "tenant A's rows are exactly as seeded");
        TestContext.WriteLine($"{cases.Count} cases");

        // What people read: each answer says what happened in words, never markup from the message.
        Assert.Contains("only an attachment", await DialogTextAsync(client, Fetch(ids, Payload(body: null, attachments: true))));
        Assert.Contains("no text", await DialogTextAsync(client, Fetch(ids, Payload(body: null))));
        Assert.Contains("in the future", await DialogTextAsync(client, Fetch(ids, Payload(created: "2099-01-01T00:00:00Z"))));
        Assert.Contains("didn't say when", await DialogTextAsync(client, Fetch(ids, Payload(created: null))));
        Assert.Contains("shortened", await DialogTextAsync(client, Fetch(ids, Payload(html: "<p>" + new string('x', 200_000) + "</p>"))));
        Assert.Contains("isn't one of this chat's", await DialogTextAsync(client, Submit(ids, Payload(), a.Postmortem.Id)));
        Assert.Contains("isn't one of this chat's", await DialogTextAsync(client, Submit(ids, Payload(), otherChat.Postmortem.Id)));
        Assert.Contains("doesn't know that command", await DialogTextAsync(client, Fetch(ids, Payload(), commandId: "deleteEverything")));
        Assert.Contains("couldn't read this message", await DialogTextAsync(client, Fetch(ids, null)));
        string scripted = await DialogTextAsync(client, Fetch(ids, Payload(html: "<script>alert(1)</script><img src=x onerror=alert(2)>Rolled back")));
        Assert.DoesNotContain("<script", scripted);
        Assert.DoesNotContain("onerror", scripted);
    }

    private static IEnumerable<AttackCase> Cases(CorpusIds ids, string otherChatsPostmortem)
    {
        const string Category = "message extension";
        AttackCase Case(string name, JsonObject activity, Expect expect = Expect.NoChange) => new(Category, name, Encoding.UTF8.GetBytes(activity.ToJsonString()), expect);

        yield return new AttackCase(Category, "a 1 MB message payload", Encoding.UTF8.GetBytes(Fetch(ids, Payload(html: new string('x', 1024 * 1024))).ToJsonString()), Expect.Refused);
        yield return Case("a 200 KB message body", Fetch(ids, Payload(html: "<p>" + new string('x', 200_000) + "</p>")));
        yield return Case("script and img onerror in the body", Fetch(ids, Payload(html: "<script>alert(1)</script><img src=x onerror=alert(2)>x")));
        yield return Case("HTML nested 20,000 deep", Fetch(ids, Payload(html: string.Concat(Enumerable.Repeat("<div>", 20_000)) + "x")));
        yield return Case("tags that never close", Fetch(ids, Payload(html: string.Concat(Enumerable.Repeat("<a title=\"", 10_000)))));
        yield return Case("no body", Fetch(ids, Payload(body: null)));
        yield return Case("an attachment only", Fetch(ids, Payload(body: null, attachments: true)));
        yield return Case("a hostile sender name", Fetch(ids, Payload(sender: "Eve\r\n](javascript:alert(1)) <at>Bot</at>;\u202E")));
        yield return Case("a createdDateTime in the future", Fetch(ids, Payload(created: "2099-01-01T00:00:00Z")));
        yield return Case("no createdDateTime", Fetch(ids, Payload(created: null)));
        yield return Case("a createdDateTime that is not a date", Fetch(ids, Payload(created: "' or 1 eq 1")));
        yield return Case("no messagePayload", Fetch(ids, null));
        yield return Case("an id with key characters", Fetch(ids, Payload(id: "1'/#?\\|")));
        yield return Case("an unknown commandId on fetchTask", Fetch(ids, Payload(), commandId: "deleteEverything"));
        yield return Case("an unknown commandId on submitAction", Submit(ids, Payload(), ids.PostmortemB, commandId: "deleteEverything"));
        yield return Case("an unknown commandId on query", Invoke(ids, "composeExtension/query", new JsonObject { ["commandId"] = "x", ["parameters"] = new JsonArray() }));
        yield return Case("a query 10,000 characters long", Invoke(ids, "composeExtension/query", new JsonObject { ["commandId"] = "searchPostmortems", ["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = new string('(', 10_000) }) }));
        yield return Case("a value that is a string", Invoke(ids, FetchTask, JsonValue.Create("addToTimeline")));
        yield return Case("submit data that is not an object", WithData(Submit(ids, Payload(), ids.PostmortemB), JsonValue.Create("x")));
        yield return Case("a submit for another tenant's postmortem", Submit(ids, Payload(), ids.PostmortemA));
        yield return Case("a submit for another chat's postmortem", Submit(ids, Payload(), otherChatsPostmortem));
        yield return Case("a submit for a postmortem id with OData characters", Submit(ids, Payload(), "x' or PartitionKey ne '"));
        yield return Case("a submit editing another tenant's entry", Submit(ids, Payload(), ids.PostmortemB, itemId: ids.EntryA, etag: ids.EntryAETag));
        yield return Case("a submit dated in the future", Submit(ids, Payload(), ids.PostmortemB, date: "2099-01-01"));
        yield return Case("a submit with a description over the limit", Submit(ids, Payload(), ids.PostmortemB, description: new string('x', 2001)));
        yield return Case("a well-formed submit with hostile text", Submit(ids, Payload(id: "1763640000999"), ids.PostmortemB, description: "<script>alert(1)</script> ](javascript:x) ' or PartitionKey ne '"), Expect.OwnTenantOnly);
    }

    private static JsonObject Payload(string? id = "1763640000123", string? html = "<p>Rolling back now</p>", string? body = "", string sender = "Ada Lovelace", string? created = "2026-11-20T09:41:07Z", bool attachments = false)
    {
        var payload = new JsonObject
        {
            ["id"] = id,
            ["linkToMessage"] = "https://teams.microsoft.com/l/message/19:chat-b@thread.v2/1763640000123",
            ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "aad-ada", ["displayName"] = sender } },
        };
        if (created is not null)
        {
            payload["createdDateTime"] = created;
        }

        if (body is not null)
        {
            payload["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html };
        }

        if (attachments)
        {
            payload["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "reference", ["name"] = "graph.png" });
        }

        return payload;
    }

    private static JsonObject Invoke(CorpusIds ids, string name, JsonNode? value)
    {
        var activity = Corpus.Message(ids, string.Empty);
        activity.Remove("text");
        activity.Remove("textFormat");
        activity["type"] = "invoke";
        activity["name"] = name;
        activity["value"] = value;
        activity["channelData"]!["source"] = new JsonObject { ["name"] = "compose" };
        return activity;
    }

    private static JsonObject Fetch(CorpusIds ids, JsonObject? payload, string commandId = "addToTimeline")
    {
        var value = new JsonObject { ["commandId"] = commandId, ["commandContext"] = "message", ["context"] = new JsonObject { ["theme"] = "default" } };
        if (payload is not null)
        {
            value["messagePayload"] = payload;
        }

        return Invoke(ids, FetchTask, value);
    }

    private static JsonObject Submit(CorpusIds ids, JsonObject payload, string postmortemId, string commandId = "addToTimeline", string? itemId = null, string? etag = null, string date = "2026-11-20", string description = "Rolling back now")
    {
        var data = new JsonObject
        {
            ["postmortemId"] = postmortemId,
            ["messageId"] = payload["id"]?.DeepClone(),
            ["occurredDate"] = date,
            ["occurredTime"] = "10:41:07",
            ["timeZone"] = "Europe/Paris",
            ["actor"] = "Ada Lovelace",
            ["description"] = description,
            ["kind"] = "action",
        };
        if (itemId is not null)
        {
            data["itemId"] = itemId;
            data["etag"] = etag;
        }

        var activity = Fetch(ids, payload, commandId);
        activity["name"] = SubmitAction;
        activity["value"]!["data"] = data;
        return activity;
    }

    private static JsonObject WithData(JsonObject activity, JsonNode data)
    {
        activity["value"]!["data"] = data;
        return activity;
    }

    /// <summary>JSON as written, so "&lt;script" in a card would show here as typed (the default escapes it to \u003C).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The dialog's message, or all text of the dialog's card (banners, notes, input values).</summary>
    private static async Task<string> DialogTextAsync(HttpClient client, JsonObject activity)
    {
        using var response = await client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        var task = JsonNode.Parse(body)!["task"]!;
        return task["type"]!.GetValue<string>() == "message" ? task["value"]!.GetValue<string>() : task["value"]!["card"]!.ToJsonString(Unescaped);
    }
}
