using System.Text.Json;
using System.Text.Json.Serialization;

namespace Postmortems.Bot.Protocol;

/// <summary>
/// A Bot Framework activity as Teams sends and receives it (Bot Framework Activity schema; JSON names exactly as on
/// the wire, camelCase). Fields the product does not model are kept in <see cref="AdditionalProperties"/> so an
/// activity can be echoed without losing them.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? LocalTimestamp { get; set; }

    /// <summary>The user's IANA time zone, e.g. "Europe/Paris".</summary>
    public string? LocalTimezone { get; set; }

    public string? Locale { get; set; }

    /// <summary>Where replies go. Covered by the signed "serviceurl" claim of the inbound token.</summary>
    public string? ServiceUrl { get; set; }

    public string? ChannelId { get; set; }

    public ChannelAccount? From { get; set; }

    public ChannelAccount? Recipient { get; set; }

    public ConversationAccount? Conversation { get; set; }

    public string? Text { get; set; }

    public string? TextFormat { get; set; }

    public string? Summary { get; set; }

    /// <summary>Card submit data (message) or the invoke payload (invoke).</summary>
    public JsonElement? Value { get; set; }

    /// <summary>The invoke or event name, e.g. "adaptiveCard/action".</summary>
    public string? Name { get; set; }

    public string? ReplyToId { get; set; }

    /// <summary>installationUpdate: add, remove, add-upgrade, remove-upgrade.</summary>
    public string? Action { get; set; }

    public List<Attachment>? Attachments { get; set; }

    public List<Entity>? Entities { get; set; }

    public TeamsChannelData? ChannelData { get; set; }

    public List<ChannelAccount>? MembersAdded { get; set; }

    public List<ChannelAccount>? MembersRemoved { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The tenant the activity comes from: channelData.tenant.id, else conversation.tenantId.</summary>
    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;
}

public sealed class ChannelAccount
{
    /// <summary>Bot-scoped id: "29:…" for users, "28:&lt;app id&gt;" for bots.</summary>
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>The user's Microsoft Entra object id.</summary>
    public string? AadObjectId { get; set; }

    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed class ConversationAccount
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>personal, groupChat or channel.</summary>
    public string? ConversationType { get; set; }

    public bool? IsGroup { get; set; }

    public string? TenantId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed class Attachment
{
    public string? ContentType { get; set; }

    public string? ContentUrl { get; set; }

    public object? Content { get; set; }

    public string? Name { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An entity: a mention ("mention": text "&lt;at&gt;Name&lt;/at&gt;", mentioned) or client info ("clientInfo").</summary>
public sealed class Entity
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public ChannelAccount? Mentioned { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Teams' channelData (TeamsChannelData JSON names).</summary>
public sealed class TeamsChannelData
{
    public TenantInfo? Tenant { get; set; }

    public TeamInfo? Team { get; set; }

    public ChannelInfo? Channel { get; set; }

    public MeetingInfo? Meeting { get; set; }

    public string? EventType { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

public sealed record TenantInfo(string? Id);

public sealed record TeamInfo(string? Id, string? Name, string? AadGroupId);

public sealed record ChannelInfo(string? Id, string? Name);

public sealed record MeetingInfo(string? Id);

public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string Typing = "typing";
}

public static class InvokeNames
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string TaskFetch = "task/fetch";
    public const string TaskSubmit = "task/submit";
}

public static class ProtocolJson
{
    /// <summary>
    /// camelCase, nulls left out, the default depth limit (64) kept so deep JSON is refused. Relaxed escaping writes
    /// '&lt;', '&amp;', quotes and non-ASCII text as themselves instead of \uXXXX, which keeps cards several times smaller;
    /// it is safe because this JSON is only ever an application/json body, never embedded in an HTML page.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 64,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
