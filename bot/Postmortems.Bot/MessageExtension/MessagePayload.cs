using System.Globalization;
using System.Text.Json;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// The message a message action was used on (value.messagePayload of composeExtension/fetchTask and submitAction), read
/// defensively: every field may be missing or of the wrong type, and every text in it is untrusted.
/// </summary>
public sealed record MessagePayload
{
    /// <summary>Teams message ids are digits; the product accepts letters, digits and '-' up to this length.</summary>
    public const int MaxIdLength = 64;

    public string? Id { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The sender's display name as sent (untrusted, may hold anything).</summary>
    public string? SenderName { get; init; }

    /// <summary>True when a tool (a bot, a connector) posted the message rather than a person.</summary>
    public bool SentByApplication { get; init; }

    public string? Body { get; init; }

    public bool BodyIsHtml { get; init; }

    /// <summary>The names of the message's attachments (files, cards); their contents are not sent.</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];

    /// <summary>The message's link in Teams, only when it is an https link to Teams.</summary>
    public Uri? Link { get; init; }

    public bool HasUsableId => Id is { Length: > 0 and <= MaxIdLength } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The payload in an invoke's value, or null when there is none.</summary>
    public static MessagePayload? From(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("messagePayload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var from = Property(payload, "from");
        var user = Property(from, "user");
        var application = Property(from, "application");
        bool byApplication = user.ValueKind != JsonValueKind.Object && application.ValueKind == JsonValueKind.Object;
        var body = Property(payload, "body");
        return new MessagePayload
        {
            Id = String(payload, "id"),
            CreatedAt = DateTimeOffset.TryParse(String(payload, "createdDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            SenderName = String(byApplication ? application : user, "displayName"),
            SentByApplication = byApplication,
            Body = String(body, "content"),
            BodyIsHtml = !string.Equals(String(body, "contentType"), "text", StringComparison.OrdinalIgnoreCase),
            Attachments = AttachmentNames(Property(payload, "attachments")),
            Link = TeamsLink(String(payload, "linkToMessage")),
        };
    }

    /// <summary>Only a link into Teams over https is kept: a payload could carry any URL, and this one becomes a button.</summary>
    public static Uri? TeamsLink(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0
        && (uri.Host is "teams.microsoft.com" or "teams.cloud.microsoft" || uri.Host.EndsWith(".teams.microsoft.com", StringComparison.OrdinalIgnoreCase))
            ? uri
            : null;

    private static List<string> AttachmentNames(JsonElement attachments)
    {
        var names = new List<string>();
        if (attachments.ValueKind != JsonValueKind.Array)
        {
            return names;
        }

        foreach (var attachment in attachments.EnumerateArray().Take(10))
        {
            names.Add(String(attachment, "name") ?? "an attachment");
        }

        return names;
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
