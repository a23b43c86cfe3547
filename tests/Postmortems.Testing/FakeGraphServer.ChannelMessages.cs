using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Postmortems.Testing;

/// <summary>
/// Channel messages in the fake: <c>GET /v1.0/teams/{group}/channels/{channel}/messages</c> lists the thread roots added
/// with <see cref="AddChannelMessage"/>, newest first as Graph does, <see cref="ChannelMessagePageSize"/> a page (or
/// <c>$top</c>, at most 50) with <c>@odata.nextLink</c> carrying a <c>$skiptoken</c>. Throttling comes from
/// <see cref="FailNext"/> like every other route.
/// </summary>
public sealed partial class FakeGraphServer
{
    private readonly List<(string TeamId, string ChannelId, JsonObject Json)> _channelMessages = [];

    /// <summary>Messages a page when the request names no $top.</summary>
    public int ChannelMessagePageSize { get; set; } = 20;

    /// <summary>A chatMessage in a channel: a person's (or, with <paramref name="application"/>, a tool's) message with an HTML body.</summary>
    public JsonObject AddChannelMessage(string teamId, string channelId, string id, DateTimeOffset created, string sender, string html, bool application = false, string messageType = "message")
    {
        var from = new JsonObject { [application ? "application" : "user"] = new JsonObject { ["id"] = "id-" + sender, ["displayName"] = sender } };
        var json = new JsonObject
        {
            ["id"] = id,
            ["messageType"] = messageType,
            ["createdDateTime"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["from"] = messageType == "message" ? from : null,
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = html },
            ["webUrl"] = $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(channelId)}/{id}",
        };
        lock (_gate)
        {
            _channelMessages.Add((teamId, channelId, json));
        }

        return json;
    }

    private Answer ListChannelMessages(string teamId, string channelId, HttpRequest http)
    {
        int size = int.TryParse(http.Query["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out int top) ? Math.Min(top, 50) : ChannelMessagePageSize;
        int offset = int.TryParse(http.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out int skip) ? skip : 0;
        List<JsonObject> all;
        lock (_gate)
        {
            all = [.. _channelMessages.Where(m => SameId(m.TeamId, teamId) && m.ChannelId == channelId).Select(m => m.Json)
                .OrderByDescending(m => m["createdDateTime"]!.GetValue<string>(), StringComparer.Ordinal)];
        }

        var page = all.Skip(offset).Take(size).ToList();
        var answer = new JsonObject { ["value"] = new JsonArray([.. page.Select(m => m.DeepClone())]) };
        if (offset + page.Count < all.Count)
        {
            answer["@odata.nextLink"] = $"{BaseUrl}/teams/{Uri.EscapeDataString(teamId)}/channels/{Uri.EscapeDataString(channelId)}/messages?$top={size}&$skiptoken={offset + page.Count}";
        }

        return Ok(200, answer);
    }
}
