using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>
/// One Teams conversation with the bot, through the app's real pipeline (local mode) and real Azurite, with a real
/// local HTTP server as the Bot Connector. Messages come back as the cards the bot posted; card buttons come back as
/// the invoke response's card.
/// </summary>
internal sealed class ChatHarness : IAsyncDisposable
{
    public static readonly User Alex = new("29:alex", "Alex Wilber", "00000000-0000-0000-0000-0000000000020");
    public static readonly User Megan = new("29:megan", "Megan Bowen", "00000000-0000-0000-0000-0000000000021");

    private readonly WebApplicationFactory<Program> _app;
    private readonly HttpClient _client;
    private readonly RecordingHttpServer _connector;

    private ChatHarness(WebApplicationFactory<Program> app, RecordingHttpServer connector, string tenantId)
    {
        _app = app;
        _client = app.CreateClient();
        _connector = connector;
        TenantId = tenantId;
    }

    public string TenantId { get; }

    public string ConversationId { get; private init; } = "19:" + Guid.NewGuid().ToString("N") + "@thread.v2";

    /// <summary>The time zone Teams reports for the user (activity.localTimezone).</summary>
    public string LocalTimezone { get; set; } = "Europe/Paris";

    /// <summary>What the bot is called in this conversation (activity.recipient.name).</summary>
    public string BotName { get; set; } = "Blameless Postmortems";

    /// <summary>Set when the chat is a thread of a team's channel (see <see cref="StartInTeamAsync"/>).</summary>
    public string? TeamId { get; private init; }

    /// <summary>The team's Entra group id (channelData.team.aadGroupId): the id Graph knows the team by.</summary>
    public string TeamGroupId { get; } = Guid.NewGuid().ToString();

    /// <summary>A thread in the General channel of a team, where "new" can offer an incident channel.</summary>
    public static async Task<ChatHarness> StartInTeamAsync(IDictionary<string, string?> settings)
    {
        var azurite = await SharedAzurite.GetAsync();
        var connector = await RecordingHttpServer.StartAsync();
        var app = BotApp.Create(azurite.ConnectionString, IPAddress.Loopback, settings);
        string team = "19:" + Guid.NewGuid().ToString("N") + "@thread.tacv2";
        return new ChatHarness(app, connector, Guid.NewGuid().ToString()) { TeamId = team, ConversationId = team + ";messageid=1700000000000" };
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The client the chat's activities are posted with (e.g. to add a traceparent header).</summary>
    public HttpClient Client => _client;

    /// <summary>The stand-in Bot Connector: every message the bot sent, replies and proactive ones.</summary>
    public RecordingHttpServer Connector => _connector;

    private string ServiceUrl => new Uri(_connector.BaseUrl, "svc/").ToString();

    public static async Task<ChatHarness> StartAsync(string? tenantId = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var azurite = await SharedAzurite.GetAsync();
        var connector = await RecordingHttpServer.StartAsync();
        var app = BotApp.Create(azurite.ConnectionString, IPAddress.Loopback, settings, services);
        return new ChatHarness(app, connector, tenantId ?? Guid.NewGuid().ToString());
    }

    /// <summary>The conversation's members as the Bot Connector's roster returns them (for the owner picker).</summary>
    public void SetRoster(params User[] users)
    {
        var members = new JsonArray(users.Select(u => (JsonNode)new JsonObject { ["id"] = u.Id, ["name"] = u.Name, ["objectId"] = u.AadObjectId }).ToArray());
        _connector.Enqueue(HttpStatusCode.OK, new JsonObject { ["members"] = members }.ToJsonString(), pathPrefix: "/svc/v3/conversations/" + Uri.EscapeDataString(ConversationId) + "/pagedmembers");
    }

    /// <summary>Sends a message and returns the first card the bot posted in reply (or its text when it sent no card).</summary>
    public async Task<JsonNode> SendAsync(string text, User? from = null)
    {
        string id = Guid.NewGuid().ToString("N");
        var activity = Activity("message", from ?? Alex);
        activity["id"] = id;
        activity["text"] = text;
        var response = await _client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(activity));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var reply = await _connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/activities/" + id, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var body = JsonNode.Parse(reply.Body)!;
        return body["attachments"]?[0]?["content"] ?? body;
    }

    /// <summary>Presses a card button (Action.Execute) with the given data (the action's data merged with inputs).</summary>
    public async Task<JsonNode> InvokeAsync(string verb, JsonObject data, User? from = null)
    {
        var activity = Activity("invoke", from ?? Alex);
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        var response = await _client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(activity));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Presses the button titled <paramref name="title"/> on a card, with these inputs filled in.</summary>
    /// <summary>Any invoke (e.g. a message extension's composeExtension/fetchTask): the HTTP status and the body the bot answered.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> InvokeNamedAsync(string name, JsonNode? value, User? from = null)
    {
        var activity = Activity("invoke", from ?? Alex);
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["name"] = name;
        activity["value"] = value;
        var response = await _client.PostAsync(new Uri("/api/messages", UriKind.Relative), TestActivities.Json(activity));
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
    }

    public async Task<JsonNode> PressAsync(JsonNode card, string title, Dictionary<string, string>? inputs = null, User? from = null)
    {
        var action = Cards.Actions(card).FirstOrDefault(a => a["title"]?.GetValue<string>() == title)
            ?? throw new AssertFailedException($"No button “{title}” on the card: {card.ToJsonString()}");
        var data = (JsonObject)(action["data"]?.DeepClone() ?? new JsonObject());

        // As Teams does (associatedInputs "auto"): every input of the card with the value it shows, then what the user typed.
        if (action["associatedInputs"]?.GetValue<string>() != "none")
        {
            foreach (var input in Cards.Elements(card).Where(e => e["type"]?.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal) == true))
            {
                data[input["id"]!.GetValue<string>()] = input["value"]?.GetValue<string>() ?? string.Empty;
            }
        }

        foreach (var (key, value) in inputs ?? [])
        {
            data[key] = value;
        }

        var response = await InvokeAsync(action["verb"]!.GetValue<string>(), data, from);
        return response["value"]!;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _connector.DisposeAsync();
    }

    private JsonObject Activity(string type, User from) => new()
    {
        ["type"] = type,
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["localTimezone"] = LocalTimezone,
        ["serviceUrl"] = ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
        ["recipient"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = BotName },
        ["conversation"] = new JsonObject { ["id"] = ConversationId, ["conversationType"] = TeamId is null ? "groupChat" : "channel", ["isGroup"] = true, ["tenantId"] = TenantId },
        ["channelData"] = TeamId is null
            ? new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } }
            : new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = TenantId },
                ["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "Payments", ["aadGroupId"] = TeamGroupId },
                ["channel"] = new JsonObject { ["id"] = TeamId, ["name"] = "General" },
            },
    };

    internal sealed record User(string Id, string Name, string AadObjectId);
}

/// <summary>Reading cards the way a person would: texts, facts, inputs and buttons.</summary>
internal static class Cards
{
    /// <summary>Every element of a card (its body) or of a row (a container's items), nested ones included.</summary>
    public static IEnumerable<JsonNode> Elements(JsonNode card) => Walk(card["body"] ?? card["items"]);

    public static IEnumerable<string> Texts(JsonNode card) =>
        Elements(card).Where(e => e["type"]?.GetValue<string>() == "TextBlock").Select(e => e["text"]!.GetValue<string>());

    public static Dictionary<string, string> Facts(JsonNode node) =>
        Elements(node)
            .Where(e => e["type"]?.GetValue<string>() == "FactSet")
            .SelectMany(f => f["facts"]!.AsArray())
            .GroupBy(f => f!["title"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.First()!["value"]!.GetValue<string>());

    public static JsonNode? Input(JsonNode card, string id) => Elements(card).FirstOrDefault(e => e["id"]?.GetValue<string>() == id);

    /// <summary>The error shown right under an input, if any.</summary>
    public static string? ErrorUnder(JsonNode card, string id)
    {
        var list = Elements(card).ToList();
        int i = list.FindIndex(e => e["id"]?.GetValue<string>() == id);
        return i >= 0 && i + 1 < list.Count && list[i + 1]["type"]?.GetValue<string>() == "TextBlock" && list[i + 1]["color"]?.GetValue<string>() == "attention"
            ? list[i + 1]["text"]!.GetValue<string>()
            : null;
    }

    public static IEnumerable<JsonNode> Actions(JsonNode card) =>
        (card["actions"]?.AsArray().Select(a => a!) ?? []).Concat(Elements(card).Where(e => e["type"]?.GetValue<string>() == "ActionSet").SelectMany(s => s["actions"]!.AsArray().Select(a => a!)));

    /// <summary>The containers of a list card (one per timeline entry or action), in order.</summary>
    public static List<JsonNode> Rows(JsonNode card) =>
        card["body"]!.AsArray().Where(e => e!["type"]?.GetValue<string>() == "Container" && e["separator"]?.GetValue<bool>() == true).Select(e => e!).ToList();

    private static IEnumerable<JsonNode> Walk(JsonNode? items)
    {
        foreach (var item in items?.AsArray() ?? [])
        {
            if (item is null)
            {
                continue;
            }

            yield return item;
            foreach (var child in Walk(item["items"]))
            {
                yield return child;
            }
        }
    }
}
