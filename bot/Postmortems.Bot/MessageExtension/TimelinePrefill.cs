using System.Globalization;
using Postmortems.Core.Common;

namespace Postmortems.Bot.MessageExtension;

/// <summary>The entry form's values taken from a message, and what the person should know about them.</summary>
public sealed record Prefill(IReadOnlyDictionary<string, string?> Values, string? Note);

/// <summary>
/// What a timeline entry made from a message starts with: when it was sent (in the viewer's time zone, to the second),
/// who or what sent it, and its text. Expectations, assumptions and the outcome are left for the person: the message
/// says what happened, not what people expected.
/// </summary>
public static class TimelinePrefill
{
    /// <summary>A sent time later than now by more than this is not believed (clocks drift a little; payloads can lie).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public const string TimeFormat = "HH:mm:ss";

    public static Prefill From(MessagePayload message, string viewerZone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var notes = new List<string>();
        string? date = null;
        string? clock = null;
        if (message.CreatedAt is not { } sent)
        {
            notes.Add("The message didn't say when it was sent: please add the time.");
        }
        else if (sent > now + ClockSkew)
        {
            notes.Add("The message's time is in the future, which can't be right: please add when it happened.");
        }
        else
        {
            var local = TimeZones.InZone(sent, viewerZone);
            date = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            clock = local.ToString(TimeFormat, CultureInfo.InvariantCulture);
        }

        var text = MessageText.ToPlainText(message.Body, message.BodyIsHtml, TextLimits.LongText);
        string description = text.Text;
        if (description.Length == 0 && message.Attachments.Count > 0)
        {
            notes.Add($"The message has only {(message.Attachments.Count == 1 ? "an attachment" : "attachments")}: please say what {(message.Attachments.Count == 1 ? "it shows" : "they show")}.");
        }
        else if (description.Length == 0)
        {
            notes.Add("The message has no text: please say what happened.");
        }
        else if (text.Shortened)
        {
            notes.Add("The message was long, so the text is shortened; the entry links to the full message.");
        }

        string actor = SingleLineText.Name(message.SenderName, string.Empty);
        if (actor.Length > TextLimits.Name)
        {
            actor = actor[..TextLimits.Name];
        }

        return new Prefill(
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["occurredDate"] = date,
                ["occurredTime"] = clock,
                ["timeZone"] = viewerZone,
                ["actor"] = actor.Length == 0 ? null : actor,
                ["description"] = description.Length == 0 ? null : description,
                ["kind"] = message.SentByApplication ? "detection" : "action",
            },
            notes.Count == 0 ? null : string.Join(" ", notes));
    }
}
