using System.Globalization;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Common;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// Reads the timeline entry form's values (the inputs the chat's entry card has, the time to the second) into an entry
/// with the same rules as the chat card: the author is whoever submitted, never the message's sender.
/// </summary>
public static class TimelineEntryForm
{
    /// <summary>The id of the entry made from a message: the same message gives the same entry in a postmortem, whoever adds it.</summary>
    public static string EntryIdFor(string messageId) => Ids.DerivedId("message|" + messageId);

    public static (TimelineEntry Entry, List<FieldError> Errors) Read(FormValues values, string postmortemId, string messageId, Person author, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<FieldError>();
        string zone = values["timeZone"] ?? "UTC";
        var occurredAt = OccurredAt(values, zone, errors);
        var kind = TimelineCards.ParseKind(values["kind"]);
        if (kind is null)
        {
            errors.Add(new FieldError("kind", "Please choose a kind from the list."));
        }

        var entry = new TimelineEntry
        {
            Id = EntryIdFor(messageId),
            PostmortemId = postmortemId,
            Author = author,
            CreatedAt = now,
            OccurredAt = occurredAt ?? now,
            TimeZone = zone,
            Actor = values["actor"] ?? string.Empty,
            Description = values["description"] ?? string.Empty,
            Outcome = values["outcome"],
            Expectations = values["expectations"],
            Assumptions = values["assumptions"],
            Kind = kind ?? TimelineEntryKind.Other,
            SignalsAvailable = values["signals"],
            SourceMessageId = messageId,
            SourceLink = MessagePayload.TeamsLink(values[AddToTimelineCards.LinkKey]),
        };
        errors.AddRange(TimelineEntryRules.Validate(entry, now));
        return (entry, errors);
    }

    /// <summary>The form's values for an entry already stored, the time to the second.</summary>
    public static Dictionary<string, string?> ValuesOf(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["actor"] = entry.Actor,
            ["description"] = entry.Description,
            ["outcome"] = entry.Outcome,
            ["expectations"] = entry.Expectations,
            ["assumptions"] = entry.Assumptions,
            ["kind"] = TimelineCards.KindValue(entry.Kind),
            ["signals"] = entry.SignalsAvailable,
            ["timeZone"] = entry.TimeZone,
        };
        var local = TimeZones.InZone(entry.OccurredAt, entry.TimeZone);
        values["occurredDate"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        values["occurredTime"] = local.ToString(TimelinePrefill.TimeFormat, CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>Domain field names that differ from the form's input ids.</summary>
    public static string InputIdOf(string field) => field switch
    {
        "occurredAt" => "occurredDate",
        "signalsAvailable" => "signals",
        _ => field,
    };

    private static DateTimeOffset? OccurredAt(FormValues values, string zone, List<FieldError> errors)
    {
        DateOnly day = default;
        TimeOnly at = default;
        if (values["occurredDate"] is not { } date)
        {
            errors.Add(new FieldError("occurredDate", "Please choose the date."));
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors.Add(new FieldError("occurredDate", "That date doesn't look right. Please pick it from the calendar."));
        }

        if (values["occurredTime"] is not { } clock)
        {
            errors.Add(new FieldError("occurredTime", "Please add the time. A rough time is fine."));
        }
        else if (!TimeOnly.TryParseExact(clock, ["HH:mm:ss", "HH:mm", "H:mm", "H:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            errors.Add(new FieldError("occurredTime", "That time doesn't look right. Please use hours, minutes and seconds, like 14:05:30."));
        }

        return errors.Count > 0 || !TimeZones.IsKnown(zone) ? null : TimeZones.FromLocal(day.ToDateTime(at), zone);
    }
}
