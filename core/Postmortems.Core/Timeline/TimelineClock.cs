using System.Globalization;

namespace Postmortems.Core.Timeline;

/// <summary>
/// Times in the timeline: seconds are optional (automated events are often seconds apart), shown only when an entry
/// has them, so "14:05" stays "14:05" and "14:05:07" keeps its seconds. Entries of the same instant keep the order
/// they were entered in (<see cref="InOrder"/>).
/// </summary>
public static class TimelineClock
{
    /// <summary>"HH:mm", or "HH:mm:ss" when the time has seconds.</summary>
    public static string Format(DateTimeOffset local) =>
        local.ToString(local.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The optional seconds typed beside the time: empty is 0; null when it is not a whole number from 0 to 59.</summary>
    public static int? ParseSeconds(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s is >= 0 and <= 59 ? s : null;

    /// <summary>Time order; the same instant (two entries of the same minute, without seconds) in the order they were entered.</summary>
    public static IOrderedEnumerable<TimelineEntry> InOrder(IEnumerable<TimelineEntry> entries) =>
        entries.OrderBy(e => e.OccurredAt).ThenBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal);
}
