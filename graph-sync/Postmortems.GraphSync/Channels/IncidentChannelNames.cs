using System.Globalization;
using System.Text;

namespace Postmortems.GraphSync.Channels;

/// <summary>
/// The name of an incident's channel: "yyyy-MM-dd-rca-&lt;slug of the postmortem title&gt;", e.g.
/// "2026-11-24-rca-checkout-returned-500s". The date first so the team's channel list sorts by incident.
/// </summary>
/// <remarks>
/// Teams' rules for a channel name, which <see cref="IsValid"/> checks and <see cref="For"/> always satisfies:
/// <list type="bullet">
/// <item>at most 50 characters (Graph "Create channel", channel-post: "the maximum length of the channel's displayName
/// is 50 characters");</item>
/// <item>none of the characters ~ # % &amp; * { } + / \ : &lt; &gt; ? | ' " , nor "..", nor characters in the ranges
/// 0-1F and 80-9F; not the words forms, CON, CONIN$, CONOUT$, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, desktop.ini,
/// _vti_; must not start with an underscore or a period, nor end with a period (Microsoft Teams admin docs,
/// "Limits and specifications for Microsoft Teams", section "Channel names",
/// MicrosoftDocs/OfficeDocs-SkypeForBusiness Teams/limits-specifications-teams.md).</item>
/// <item>"General" is refused too: every team already has that channel.</item>
/// </list>
/// The reserved words are checked as whole names (they are SharePoint folder names the channel's files would use).
/// </remarks>
public static class IncidentChannelNames
{
    public const int MaxLength = 50;

    /// <summary>What an empty or unusable title becomes.</summary>
    public const string FallbackSlug = "incident";

    private const string ForbiddenCharacters = "~#%&*{}+/\\:<>?|'\",";

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "forms", "CON", "CONIN$", "CONOUT$", "PRN", "AUX", "NUL", "desktop.ini", "_vti_", "General",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The channel name for an incident of <paramref name="date"/> whose postmortem is titled <paramref name="title"/>.</summary>
    public static string For(DateOnly date, string? title)
    {
        string prefix = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-rca-";
        return prefix + Slug(title, MaxLength - prefix.Length);
    }

    /// <summary>
    /// Lowercase words joined by '-': accents folded to ASCII where there is an ASCII letter to fold to (é → e,
    /// ß → ss), other letters and digits kept, everything else a single '-', cut to <paramref name="maxLength"/>
    /// (at a word boundary when there is one in the second half) without a trailing '-'. Empty becomes <see cref="FallbackSlug"/>.
    /// </summary>
    public static string Slug(string? title, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, FallbackSlug.Length);
        var slug = new StringBuilder();
        bool pendingDash = false;
        foreach (char c in Fold(title ?? string.Empty))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingDash && slug.Length > 0)
                {
                    slug.Append('-');
                }

                pendingDash = false;
                slug.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingDash = true;
            }
        }

        string result = slug.ToString();
        if (result.Length > maxLength)
        {
            // Cut at a word boundary when that keeps at least half the room, so the name does not end mid-word.
            bool midWord = result[maxLength] != '-';
            result = result[..maxLength];
            int lastDash = result.LastIndexOf('-');
            if (midWord && lastDash >= maxLength / 2)
            {
                result = result[..lastDash];
            }

            result = result.TrimEnd('-');
        }

        return result.Length == 0 ? FallbackSlug : result;
    }

    /// <summary>True when Teams accepts <paramref name="displayName"/> as a channel name.</summary>
    public static bool IsValid(string? displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > MaxLength)
        {
            return false;
        }

        if (displayName.Contains("..", StringComparison.Ordinal)
            || displayName[0] is '_' or '.'
            || displayName[^1] == '.'
            || ReservedNames.Contains(displayName.Trim()))
        {
            return false;
        }

        foreach (char c in displayName)
        {
            if (c <= '\u001F' || c is >= '\u0080' and <= '\u009F' || ForbiddenCharacters.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes accents from Latin letters (é → e) and spells out the few that have no decomposition (ß → ss).</summary>
    private static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        char previous = '\0';
        foreach (char c in text.Normalize(NormalizationForm.FormD))
        {
            // A combining mark on an ASCII letter is an accent: drop it. On other scripts it can be part of the
            // letter (Devanagari vowel signs), so it stays and the letter is recomposed below.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && char.IsAscii(previous))
            {
                continue;
            }

            previous = c;
            folded.Append(c switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'Æ' => "AE",
                'œ' => "oe",
                'Œ' => "OE",
                'ø' => "o",
                'Ø' => "O",
                'đ' => "d",
                'Đ' => "D",
                'ł' => "l",
                'Ł' => "L",
                'þ' => "th",
                'Þ' => "TH",
                'ı' => "i",
                _ => c.ToString(),
            });
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }
}
