using System.Globalization;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Reminders;

/// <summary>One reminder to send: a stable key (part of the outbox id, so it is sent once) and when it is due.</summary>
/// <param name="Key">"before-2026-12-01", "due-2026-12-01", "overdue-2026-12-01-3" or "digest-2026-11-30": the due
/// date is in the key, so moving the due date starts a fresh series.</param>
/// <param name="SendAt">The instant it is due.</param>
/// <param name="LocalSendAt">The same instant as the recipient's clock reads it.</param>
public sealed record ReminderOccasion(string Key, DateTimeOffset SendAt, DateTime LocalSendAt);

/// <summary>
/// Which reminders are due now; pure (no storage, no clock of its own). An action is reminded
/// <see cref="ReminderOptions.DaysBefore"/> days before its due date, on the due date, and weekly while overdue (the
/// day after the due date, then every 7 days), each at <see cref="ReminderOptions.SendAt"/> in the owner's zone, moved
/// to the end of quiet hours when it falls inside them. An occasion is due from its instant for one day, and never
/// while it is quiet where the person is: an app that was down catches up later that day but does not flood people
/// with last week's reminders. Done and won't-do actions get nothing.
/// </summary>
public static class ReminderPlanner
{
    /// <summary>How long an occasion stays due after its instant.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>How far back an action done counts as done "this week" in the digest.</summary>
    public static readonly TimeSpan DoneThisWeek = TimeSpan.FromDays(7);

    public static IReadOnlyList<ReminderOccasion> DueForAction(DateOnly dueDate, ActionStatus status, string? timeZone, DateTimeOffset now, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (status is not (ActionStatus.Open or ActionStatus.InProgress))
        {
            return [];
        }

        string zone = ZoneOrUtc(timeZone);
        var due = new List<ReminderOccasion>();

        // An occasion's instant is at most a day after its date's SendAt (quiet hours push it to the next morning at
        // the latest) and it stays due for a day, so only the last few local dates can hold a due occasion.
        var today = LocalDate(now, zone);
        for (var date = today.AddDays(-3); date <= today; date = date.AddDays(1))
        {
            string? key = KeyFor(date, dueDate, options.DaysBefore);
            if (key is not null && Occasion(key, date, zone, options) is { } occasion && IsDue(occasion, now, zone, options))
            {
                due.Add(occasion);
            }
        }

        return due;
    }

    /// <summary>The facilitator's weekly digest, when it is due now in their zone.</summary>
    public static ReminderOccasion? DueDigest(string? timeZone, DateTimeOffset now, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string zone = ZoneOrUtc(timeZone);
        var today = LocalDate(now, zone);
        for (var date = today.AddDays(-3); date <= today; date = date.AddDays(1))
        {
            if (date.DayOfWeek == options.DigestDay
                && Occasion("digest-" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), date, zone, options) is { } occasion
                && IsDue(occasion, now, zone, options))
            {
                return occasion;
            }
        }

        return null;
    }

    /// <summary>
    /// The local date of the action's next reminder that is still to be recorded: the first occasion, from the last
    /// few days on, that has not passed its one-day window and is not in <paramref name="handled"/> (recorded by this
    /// scan). The reminder scan files the action under this day (<see cref="Core.Actions.RemindersDueIndex"/>), so an
    /// overdue action moves from one weekly reminder to the next and is read only when one is due.
    /// </summary>
    public static DateOnly NextOccasionDate(DateOnly dueDate, string? timeZone, DateTimeOffset now, ReminderOptions options, IReadOnlySet<string> handled)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handled);
        string zone = ZoneOrUtc(timeZone);
        var from = LocalDate(now, zone).AddDays(-3);
        foreach (var date in OccasionDates(dueDate, from, options.DaysBefore))
        {
            string key = KeyFor(date, dueDate, options.DaysBefore)!;
            if (Occasion(key, date, zone, options) is { } occasion && now - occasion.SendAt < Window && !handled.Contains(key))
            {
                return date;
            }
        }

        throw new InvalidOperationException("Weekly overdue reminders never end, so a next one always exists.");
    }

    /// <summary>The local date of the facilitator's next digest still to be recorded (see <see cref="NextOccasionDate"/>).</summary>
    public static DateOnly NextDigestDate(string? timeZone, DateTimeOffset now, ReminderOptions options, IReadOnlySet<string> handled)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handled);
        string zone = ZoneOrUtc(timeZone);
        for (var date = LocalDate(now, zone).AddDays(-3); ; date = date.AddDays(1))
        {
            string key = "digest-" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (date.DayOfWeek == options.DigestDay && Occasion(key, date, zone, options) is { } occasion && now - occasion.SendAt < Window && !handled.Contains(key))
            {
                return date;
            }
        }
    }

    /// <summary>The dates with an occasion for this due date, from <paramref name="from"/> on, in order (endless: weekly while overdue).</summary>
    private static IEnumerable<DateOnly> OccasionDates(DateOnly dueDate, DateOnly from, int daysBefore)
    {
        if (daysBefore > 0 && dueDate.AddDays(-daysBefore) >= from)
        {
            yield return dueDate.AddDays(-daysBefore);
        }

        if (dueDate >= from)
        {
            yield return dueDate;
        }

        var first = dueDate.AddDays(1);
        for (int week = from > first ? (from.DayNumber - first.DayNumber + 6) / 7 : 0; ; week++)
        {
            yield return first.AddDays(7 * week);
        }
    }

    /// <summary>
    /// The last day of the reminders-due index a scan reads: tomorrow in UTC. A reminder's local date is at most a day
    /// ahead of UTC's (UTC+14), so the days up to tomorrow hold every due one.
    /// </summary>
    public static DateOnly LastDayToRead(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);

    /// <summary>
    /// Whether an action filed as due on <paramref name="filedDueDate"/> still gets reminders: it exists, is open or in
    /// progress with an owner and a due date, and that date was not changed since it was filed.
    /// </summary>
    public static bool IsStillDue(ActionItem? action, DateOnly? filedDueDate) =>
        action is not null && RemindersDueIndex.IsRemindable(action) && action.DueDate == filedDueDate;

    /// <summary>A postmortem stays in its facilitator's digest while one of its open or in-progress actions has an owner.</summary>
    public static bool StaysInDigest(IEnumerable<ActionItem> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return actions.Any(a => a.Status is ActionStatus.Open or ActionStatus.InProgress && a.Owner is { } owner && Ids.IsValidKeyPart(owner.ObjectId));
    }

    /// <summary>
    /// A postmortem's line in the digest: its open actions (open or in progress), those overdue on the facilitator's
    /// today, and those done in the last 7 days.
    /// </summary>
    public static DigestLine DigestLineOf(Postmortem postmortem, IReadOnlyCollection<ActionItem> actions, string zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(actions);
        var today = DateOnly.FromDateTime(TimeZones.InZone(now, zone).DateTime);
        int open = actions.Count(a => a.Status is ActionStatus.Open or ActionStatus.InProgress);
        int overdue = actions.Count(a => ActionItemRules.IsOverdue(a, today));
        int done = actions.Count(a => a.Status == ActionStatus.Done && a.UpdatedAt is { } at && now - at <= DoneThisWeek);
        return new DigestLine(postmortem.Id, postmortem.Title, open, overdue, done);
    }

    /// <summary>True when <paramref name="local"/> (a wall-clock time) is inside the quiet hours.</summary>
    public static bool IsQuiet(TimeOnly local, ReminderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (start, end) = (options.QuietStart, options.QuietEnd);
        return start == end ? false
            : start < end ? local >= start && local < end
            : local >= start || local < end; // across midnight, e.g. 20:00–08:00
    }

    /// <summary>Days past the due date (negative: days left).</summary>
    public static int DaysOverdue(DateOnly dueDate, DateOnly today) => today.DayNumber - dueDate.DayNumber;

    private static string? KeyFor(DateOnly date, DateOnly dueDate, int daysBefore)
    {
        string d = dueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int offset = date.DayNumber - dueDate.DayNumber;
        if (daysBefore > 0 && offset == -daysBefore)
        {
            return "before-" + d;
        }

        if (offset == 0)
        {
            return "due-" + d;
        }

        if (offset >= 1 && (offset - 1) % 7 == 0)
        {
            return "overdue-" + d + "-" + (((offset - 1) / 7) + 1).ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }

    /// <summary>SendAt on <paramref name="date"/> in the zone, moved to the end of quiet hours when it falls in them.</summary>
    private static ReminderOccasion? Occasion(string key, DateOnly date, string zone, ReminderOptions options)
    {
        var local = date.ToDateTime(options.SendAtTime);
        if (IsQuiet(options.SendAtTime, options))
        {
            // Inside quiet hours: wait for them to end, the same morning (before the end) or the next one (after the start).
            local = options.SendAtTime < options.QuietEnd ? date.ToDateTime(options.QuietEnd) : date.AddDays(1).ToDateTime(options.QuietEnd);
        }

        // DST: a wall-clock time the clocks skip (02:30 on a spring-forward night) is read with the standard offset,
        // so it lands an hour later on the new clock (03:30); a time that happens twice (autumn) is taken at its
        // second occurrence (standard offset). With SendAt in the morning neither happens in any real zone.
        var instant = TimeZones.FromLocal(local, zone);
        return new ReminderOccasion(key, instant, TimeZones.InZone(instant, zone).DateTime);
    }

    private static bool IsDue(ReminderOccasion occasion, DateTimeOffset now, string zone, ReminderOptions options) =>
        now >= occasion.SendAt
        && now - occasion.SendAt < Window
        && !IsQuiet(TimeOnly.FromDateTime(TimeZones.InZone(now, zone).DateTime), options);

    private static DateOnly LocalDate(DateTimeOffset now, string zone) => DateOnly.FromDateTime(TimeZones.InZone(now, zone).DateTime);

    private static string ZoneOrUtc(string? zone) => TimeZones.IsKnown(zone) ? zone! : "UTC";
}
