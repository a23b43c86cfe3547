using Postmortems.Core.Common;

namespace Postmortems.Core.Timeline;

public static class TimelineEntryRules
{
    /// <summary>How far in the future an entry may be dated: a day covers any time zone mix-up, not a typo of a year.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public static IReadOnlyList<FieldError> Validate(TimelineEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var v = new Validation()
            .RequiredLine("actor", "who acted (a person, a team or a system)", entry.Actor, TextLimits.Name)
            .Required("description", "what was done or what happened", entry.Description, TextLimits.LongText)
            .Optional("outcome", "the outcome", entry.Outcome, TextLimits.LongText)
            .Optional("expectations", "the expectations", entry.Expectations, TextLimits.LongText)
            .Optional("assumptions", "the assumptions", entry.Assumptions, TextLimits.LongText)
            .Optional("signalsAvailable", "the signals that were available", entry.SignalsAvailable, TextLimits.LongText);

        if (!TimeZones.IsKnown(entry.TimeZone))
        {
            v.Add("timeZone", "Please choose the time zone the time was in.");
        }

        if (entry.OccurredAt > now + FutureTolerance)
        {
            v.Add("occurredAt", "This time is in the future. Please check the date.");
        }

        if (!Enum.IsDefined(entry.Kind))
        {
            v.Add("kind", "Please choose a kind from the list.");
        }

        return v.Errors;
    }
}
