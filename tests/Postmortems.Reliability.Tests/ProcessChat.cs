using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// One Teams group chat with the real app running as its own process (<see cref="AppServer"/>, local mode: loopback
/// callers need no token), with a <see cref="RecordingHttpServer"/> as the Bot Connector. The app can be killed and
/// started again (<see cref="RestartAsync"/>) while the chat, its connector and the storage stay.
/// </summary>
internal sealed class ProcessChat : IAsyncDisposable
{
    public const string AlexId = "00000000-0000-0000-0000-0000000000020";
    public const string MeganId = "00000000-0000-0000-0000-0000000000021";

    private readonly IDictionary<string, string?> _settings;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ProcessChat(IDictionary<string, string?> settings, RecordingHttpServer connector, AppServer app)
    {
        _settings = settings;
        Connector = connector;
        App = app;
    }

    public AppServer App { get; private set; }

    public RecordingHttpServer Connector { get; }

    public string TenantId { get; } = Guid.NewGuid().ToString();

    public string ConversationId { get; } = "19:" + Guid.NewGuid().ToString("N") + "@thread.v2";

    /// <summary>Starts the app with these settings; reminders are off (they would post into the chat under test).</summary>
    public static async Task<ProcessChat> StartAsync(IDictionary<string, string?> settings)
    {
        settings.TryAdd("Postmortems:Reminders:Enabled", "false");
        settings.TryAdd("Graph:TodoSync:Enabled", "false");
        settings.TryAdd("Logging:LogLevel:System.Net.Http.HttpClient", "Warning");
        var connector = await RecordingHttpServer.StartAsync();
        try
        {
            var app = await AppServer.StartAsync(settings);
            var chat = new ProcessChat(settings, connector, app);
            chat.SetRoster();
            return chat;
        }
        catch
        {
            await connector.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the app process at once (no graceful stop: a crash) and starts a new one with the same settings.</summary>
    public async Task RestartAsync()
    {
        await App.DisposeAsync();
        App = await AppServer.StartAsync(_settings);
    }

    /// <summary>The chat's members as the Connector's roster answers (for the invite's attendees), every time it is asked.</summary>
    public void SetRoster()
    {
        var members = new JsonArray(
            new JsonObject { ["id"] = "29:alex", ["name"] = "Alex Wilber", ["objectId"] = AlexId },
            new JsonObject { ["id"] = "29:megan", ["name"] = "Megan Bowen", ["objectId"] = MeganId });
        Connector.SetDefault(HttpStatusCode.OK, new JsonObject { ["members"] = members, ["id"] = "reply-1" }.ToJsonString());
    }

    /// <summary>Sends a message as Alex and returns the first card the bot posted in reply (or the reply itself).</summary>
    public async Task<JsonNode> SendAsync(string text)
    {
        string id = Guid.NewGuid().ToString("N");
        var activity = Activity("message");
        activity["id"] = id;
        activity["text"] = text;
        using var response = await PostAsync(activity);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var reply = await Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/activities/" + id, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var body = JsonNode.Parse(reply.Body)!;
        return body["attachments"]?[0]?["content"] ?? body;
    }

    /// <summary>Presses the button titled <paramref name="title"/> on a card as Alex, with these inputs; returns the invoke answer.</summary>
    public async Task<JsonNode> PressAsync(JsonNode card, string title, IReadOnlyDictionary<string, string>? inputs = null)
    {
        var action = Actions(card).FirstOrDefault(a => a["title"]?.GetValue<string>() == title)
            ?? throw new AssertFailedException($"No button “{title}” on the card: {card.ToJsonString()}");
        var data = (JsonObject)(action["data"]?.DeepClone() ?? new JsonObject());
        foreach (var input in Elements(card).Where(e => e["type"]?.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal) == true))
        {
            data[input["id"]!.GetValue<string>()] = input["value"]?.GetValue<string>() ?? string.Empty;
        }

        foreach (var (key, value) in inputs ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        var activity = Activity("invoke");
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = action["verb"]!.GetValue<string>(), ["data"] = data },
            ["trigger"] = "manual",
        };
        using var response = await PostAsync(activity);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>The id of the chat's postmortem, from a card whose buttons carry it (the welcome card).</summary>
    public static string PostmortemIdOf(JsonNode card) =>
        Actions(card).Select(a => a["data"]?["postmortemId"]?.GetValue<string>()).First(id => id is not null)!;

    public static IEnumerable<JsonNode> Elements(JsonNode card) => Walk(card["body"] ?? card["items"]);

    public static IEnumerable<string> Texts(JsonNode card) =>
        Elements(card).Where(e => e["type"]?.GetValue<string>() == "TextBlock").Select(e => e["text"]!.GetValue<string>());

    public static JsonNode? Input(JsonNode card, string id) => Elements(card).FirstOrDefault(e => e["id"]?.GetValue<string>() == id);

    public static IEnumerable<JsonNode> Actions(JsonNode card) =>
        (card["actions"]?.AsArray().Select(a => a!) ?? [])
            .Concat(Elements(card).Where(e => e["type"]?.GetValue<string>() == "ActionSet").SelectMany(s => s["actions"]!.AsArray().Select(a => a!)));

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await App.DisposeAsync();
        await Connector.DisposeAsync();
    }

    /// <summary>Posts an activity as Teams would (see <see cref="NewActivity"/>) and answers the HTTP response.</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity)
    {
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");
        return await _client.PostAsync(new Uri(App.BaseUrl, "api/messages"), content);
    }

    /// <summary>An activity of this chat from Alex, to change and post with <see cref="PostAsync"/>.</summary>
    public JsonObject NewActivity(string type) => Activity(type);

    private JsonObject Activity(string type) => new()
    {
        ["type"] = type,
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["localTimezone"] = "Europe/Paris",
        ["serviceUrl"] = new Uri(Connector.BaseUrl, "svc/").ToString(),
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:alex", ["name"] = "Alex Wilber", ["aadObjectId"] = AlexId },
        ["recipient"] = new JsonObject { ["id"] = "28:11111111-2222-3333-4444-555555555555", ["name"] = "Blameless Postmortems" },
        ["conversation"] = new JsonObject { ["id"] = ConversationId, ["conversationType"] = "groupChat", ["isGroup"] = true, ["tenantId"] = TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
    };

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
