using Postmortems.Core.Common;

namespace Postmortems.GraphSync.Meetings;

/// <summary>The time proposed when calendars can't be read: 10:00 on the next working day.</summary>
public static class WorkingMorning
{
    public static readonly TimeOnly ProposedTime = new(10, 0);

    /// <summary>10:00 on the first working day (Mon–Fri) that is at least an hour after <paramref name="earliest"/>, in the zone (UTC when unknown).</summary>
    public static DateTimeOffset After(DateTimeOffset earliest, string? timeZone)
    {
        string zone = TimeZones.IsKnown(timeZone) ? timeZone! : "UTC";
        var notBefore = earliest.AddHours(1);
        var day = DateOnly.FromDateTime(TimeZones.InZone(notBefore, zone).DateTime);
        while (true)
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                var start = TimeZones.FromLocal(day.ToDateTime(ProposedTime), zone);
                if (start >= notBefore)
                {
                    return start;
                }
            }

            day = day.AddDays(1);
        }
    }
}
