using System.Text.Json;
using System.Text.Json.Nodes;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>Activities shaped as Teams sends them (PROTOCOL.md A.1), with a service URL of the test's choosing.</summary>
internal static class TestActivities
{
    public const string TenantId = "00000000-0000-0000-0000-0000000000001";
    public const string BotId = "28:11111111-2222-3333-4444-555555555555";

    public static JsonObject Message(string serviceUrl, string text, string? id = null, string conversationId = "a:personal-chat-1") => new()
    {
        ["type"] = "message",
        ["id"] = id ?? Guid.NewGuid().ToString("N"),
        ["timestamp"] = "2026-11-23T10:00:00.000Z",
        ["localTimezone"] = "Europe/Paris",
        ["locale"] = "en-US",
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:user-alex", ["name"] = "Alex Wilber", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000020" },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "Blameless Postmortems" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "personal", ["tenantId"] = TenantId },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        ["someFutureField"] = new JsonObject { ["kept"] = true },
    };

    public static JsonObject Invoke(string serviceUrl, string name, JsonNode? value)
    {
        var activity = Message(serviceUrl, string.Empty);
        activity.Remove("text");
        activity["type"] = "invoke";
        activity["name"] = name;
        activity["value"] = value;
        activity["replyToId"] = "1575667808184";
        return activity;
    }

    public static JsonObject ExecuteValue(string verb, JsonObject? data = null) => new()
    {
        ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "a1", ["verb"] = verb, ["data"] = data ?? new JsonObject() },
        ["trigger"] = "manual",
    };

    public static StringContent Json(JsonNode activity) => new(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public static StringContent Raw(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
