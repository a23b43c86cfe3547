namespace Postmortems.GraphSync.Meetings;

/// <summary>When the organizer works: the same hours on each working day, as wall-clock times in <see cref="Zone"/>.</summary>
/// <param name="Days">The working days of the week.</param>
/// <param name="Start">When a working day starts, local time.</param>
/// <param name="End">When it ends, local time. An end at or before the start means the day ends after midnight.</param>
public sealed record OrganizerHours(TimeZoneInfo Zone, IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    public static readonly IReadOnlySet<DayOfWeek> MondayToFriday =
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };

    /// <summary>09:00-17:00, Monday to Friday: what is assumed when a calendar says nothing about working hours.</summary>
    public static OrganizerHours NineToFive(TimeZoneInfo zone) => new(zone, MondayToFriday, new TimeOnly(9, 0), new TimeOnly(17, 0));
}

/// <summary>A time someone cannot meet, [Start, End).</summary>
public readonly record struct BusyInterval(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Finds the first meeting slot that fits: it starts on a quarter hour at or after a given instant, lies inside the
/// organizer's working hours on a working day, within a number of working days, and overlaps nobody's busy time.
/// Pure: no clock, no I/O.
/// </summary>
public static class FreeSlotFinder
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    /// <summary>The first slot's start (with the organizer zone's offset), or null when none fits.</summary>
    /// <param name="hours">The organizer's working hours and time zone.</param>
    /// <param name="busyPerPerson">Each person's busy times; everyone must be free for the whole slot.</param>
    /// <param name="notBefore">The earliest start; rounded up to the next quarter hour.</param>
    /// <param name="duration">How long the meeting is.</param>
    /// <param name="workingDays">
    /// How many working days to search. A day counts only when some of its working time is still ahead of
    /// <paramref name="notBefore"/>, so "5" after hours on a Monday means Tuesday to the next Monday.
    /// </param>
    /// <param name="searchUntil">Optional: no slot may end after this (the end of the calendar data that is known).</param>
    public static DateTimeOffset? FindFirstSlot(
        OrganizerHours hours,
        IEnumerable<IEnumerable<BusyInterval>> busyPerPerson,
        DateTimeOffset notBefore,
        TimeSpan duration,
        int workingDays,
        DateTimeOffset? searchUntil = null)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(busyPerPerson);
        if (duration <= TimeSpan.Zero || workingDays <= 0)
        {
            return null;
        }

        // Everyone must be free, so one merged list is enough; sorted by start for the scan below.
        var busy = busyPerPerson.SelectMany(b => b).Where(b => b.End > b.Start).OrderBy(b => b.Start).ToList();
        var cursor = RoundUpToQuarter(notBefore.ToUniversalTime());
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(cursor, hours.Zone).DateTime);

        // A day that starts before notBefore may still hold working time (an overnight shift started the evening
        // before), so begin one day early; such a day only counts if its window is still ahead.
        day = day.AddDays(-1);
        int daysSearched = 0;

        // Bounded: a week without working days (an empty Days set) must not loop forever.
        for (int guard = 0; daysSearched < workingDays && guard < (workingDays * 7) + 8; guard++, day = day.AddDays(1))
        {
            if (!hours.Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var windowStart = ToInstant(day.ToDateTime(hours.Start), hours.Zone);
            var endDay = hours.End > hours.Start ? day : day.AddDays(1);
            var windowEnd = ToInstant(endDay.ToDateTime(hours.End), hours.Zone);
            if (windowEnd <= cursor)
            {
                continue;
            }

            daysSearched++;
            var candidate = RoundUpToQuarter(windowStart > cursor ? windowStart : cursor);
            while (candidate + duration <= windowEnd)
            {
                if (searchUntil is { } until && candidate + duration > until)
                {
                    return null;
                }

                var slotEnd = candidate + duration;
                var clash = busy.Where(b => b.Start < slotEnd && b.End > candidate).Select(b => (DateTimeOffset?)b.End).Max();
                if (clash is null)
                {
                    return TimeZoneInfo.ConvertTime(candidate, hours.Zone);
                }

                // Jump past the clashing busy time, staying on the quarter-hour grid.
                candidate = RoundUpToQuarter(clash.Value.ToUniversalTime());
            }
        }

        return null;
    }

    /// <summary>The instant rounded up to the next quarter hour (unchanged when already on one).</summary>
    public static DateTimeOffset RoundUpToQuarter(DateTimeOffset instant)
    {
        // Every time zone's offset is a whole number of quarter hours, so rounding the UTC instant also puts the local
        // time on the quarter hour.
        var utc = instant.ToUniversalTime();
        long remainder = utc.Ticks % Quarter.Ticks;
        return remainder == 0 ? utc : utc.AddTicks(Quarter.Ticks - remainder);
    }

    /// <summary>
    /// The instant a wall-clock time in a zone means. A time skipped by a daylight-saving change (e.g. 02:30 on the
    /// spring-forward night) is moved forward by the change; a repeated time (the fall-back night) is its first occurrence.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }

        if (zone.IsInvalidTime(local))
        {
            // The offset before the gap applied to the skipped wall-clock time gives the instant the clock jumped at
            // plus the way into the gap: the same as reading the time on a clock that was not moved.
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before).ToUniversalTime();
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
