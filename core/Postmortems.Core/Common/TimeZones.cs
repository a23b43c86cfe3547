using System.Collections.Concurrent;

namespace Postmortems.Core.Common;

/// <summary>Time zone ids as Teams sends them: IANA ("Europe/Paris") from most clients, Windows ids from some.</summary>
public static class TimeZones
{
    // Zones found before. TimeZoneInfo takes a process-wide lock on every look-up, and every card asks several times.
    // Only real zones are kept (a few hundred at most); an unknown id, which anyone can send, is never stored.
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    public static bool IsKnown(string? id) => TryFind(id, out _);

    private static bool TryFind(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return false;
        }

        if (Found.TryGetValue(id, out zone))
        {
            return true;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            return false;
        }

        Found.TryAdd(id, zone);
        return true;
    }

    /// <summary>The wall-clock time in <paramref name="timeZoneId"/> as an instant with that zone's offset at that moment.</summary>
    public static DateTimeOffset FromLocal(DateTime localTime, string timeZoneId)
    {
        var zone = TryFind(timeZoneId, out var found) ? found : TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var unspecified = DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    /// <summary>The instant as it reads in <paramref name="timeZoneId"/>; UTC when the zone is unknown.</summary>
    public static DateTimeOffset InZone(DateTimeOffset instant, string? timeZoneId) =>
        TryFind(timeZoneId, out var zone)
            ? TimeZoneInfo.ConvertTime(instant, zone)
            : instant.ToUniversalTime();
}
