using System.Globalization;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// What a compose-box search for postmortems matches: each rule is one line of <see cref="Rules"/>, so a new way to find
/// a postmortem (its tags, when they exist) is one more line. Plain code, no regular expression: linear in the text.
/// </summary>
public static class PostmortemSearch
{
    /// <summary>The longest query read; Teams sends what is typed, which could be anything.</summary>
    public const int MaxQueryLength = 100;

    /// <summary>True when the postmortem matches the (trimmed, non-empty) query.</summary>
    private static readonly Func<Postmortem, string, bool>[] Rules =
    [
        (p, q) => p.Title.Contains(q, StringComparison.OrdinalIgnoreCase),
        (p, q) => IsDateOf(q, p.StartedAt ?? p.CreatedAt) || IsDateOf(q, p.CreatedAt),
    ];

    /// <summary>The query as searched: trimmed, at most <see cref="MaxQueryLength"/> characters; empty matches everything.</summary>
    public static string Normalize(string? query)
    {
        string text = (query ?? string.Empty).Trim();
        return text.Length > MaxQueryLength ? text[..MaxQueryLength] : text;
    }

    public static bool Matches(Postmortem postmortem, string query)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(query);
        return query.Length == 0 || Array.Exists(Rules, rule => rule(postmortem, query));
    }

    /// <summary>"2026-11-20" matches that day, "2026-11" that month (UTC), so a date typed as Teams shows dates finds the incident.</summary>
    private static bool IsDateOf(string query, DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        if (DateOnly.TryParseExact(query, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return DateOnly.FromDateTime(utc) == day;
        }

        return DateTime.TryParseExact(query, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            && utc.Year == month.Year && utc.Month == month.Month;
    }
}
