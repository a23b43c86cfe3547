namespace Postmortems.Core.Common;

/// <summary>Time zone ids as Teams sends them: IANA ("Europe/Paris") from most clients, Windows ids from some.</summary>
public static class TimeZones
{
    public static bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>The wall-clock time in <paramref name="timeZoneId"/> as an instant with that zone's offset at that moment.</summary>
    public static DateTimeOffset FromLocal(DateTime localTime, string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var unspecified = DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    /// <summary>The instant as it reads in <paramref name="timeZoneId"/>; UTC when the zone is unknown.</summary>
    public static DateTimeOffset InZone(DateTimeOffset instant, string? timeZoneId) =>
        timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone)
            ? TimeZoneInfo.ConvertTime(instant, zone)
            : instant.ToUniversalTime();
}
