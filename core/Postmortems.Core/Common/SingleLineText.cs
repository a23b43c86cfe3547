using System.Text;

namespace Postmortems.Core.Common;

/// <summary>
/// The one rule for text that must stay on one line: people's names and single-line fields (titles, the actor,
/// who reported it). Applied where the text enters the product, before anything stores or shows it.
/// <list type="bullet">
/// <item><description>
/// <b>Names</b> come from Teams and Microsoft Entra ID (the sender of an activity, the conversation roster, the people
/// picker, the tab token's name claim). Nobody can retype them, so they are <b>normalised</b> by <see cref="Name"/>:
/// every line break and control character (CR, LF, tab, the rest of Unicode category Cc, U+2028 LINE SEPARATOR and
/// U+2029 PARAGRAPH SEPARATOR) becomes a space; bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069, which can make a name read backwards) and U+FEFF are removed, as is half of a broken surrogate
/// pair; runs of white space become one space; the ends are trimmed; a name longer than <see cref="TextLimits.Name"/>
/// is cut there (never inside a surrogate pair); an empty result becomes the fallback.
/// </description></item>
/// <item><description>
/// <b>Single-line fields</b> are typed by the user, who can fix them, so a value holding any of those characters is
/// <b>refused</b> with a clear message (<see cref="Validation.RequiredLine"/>, <see cref="Validation.OptionalLine"/>)
/// and nothing is saved: the card comes back with the text kept.
/// </description></item>
/// </list>
/// Multi-line text (descriptions, summaries) keeps its line breaks and tabs; each output escapes them for its format.
/// Plain code, one pass: linear in the length of the text.
/// </summary>
public static class SingleLineText
{
    /// <summary>A name made safe to show on one line anywhere, or <paramref name="fallback"/> when nothing is left.</summary>
    public static string Name(string? value, string fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        var builder = new StringBuilder(Math.Min(value.Length, TextLimits.Name));
        bool pendingSpace = false;
        for (int i = 0; i < value.Length && builder.Length < TextLimits.Name; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (builder.Length + (pendingSpace ? 3 : 2) > TextLimits.Name)
                {
                    break;
                }

                AppendPendingSpace(builder, ref pendingSpace);
                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (IsRemoved(c))
            {
                continue;
            }

            if (IsLineBreakOrControl(c) || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            AppendPendingSpace(builder, ref pendingSpace);
            if (builder.Length < TextLimits.Name)
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? fallback : builder.ToString();
    }

    /// <summary>True when <paramref name="value"/> holds a line break (CR, LF, U+2028, U+2029, U+0085, VT, FF).</summary>
    public static bool HasLineBreak(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in value)
        {
            if (c is '\r' or '\n' or '\u2028' or '\u2029' or '\u0085' or '\v' or '\f')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="value"/> holds a character <see cref="Name"/> would replace or remove (control
    /// characters, tabs and line breaks included), so it is not safe as a single line.
    /// </summary>
    public static bool HasInvisibleControl(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (IsRemoved(c) || IsLineBreakOrControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendPendingSpace(StringBuilder builder, ref bool pendingSpace)
    {
        if (pendingSpace && builder.Length < TextLimits.Name - 1)
        {
            builder.Append(' ');
        }

        pendingSpace = false;
    }

    // Control characters (Cc: C0, DEL, C1, tab and line feeds among them) and the two Unicode line separators.
    private static bool IsLineBreakOrControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    // Invisible characters that change how the rest reads (bidi embeddings, overrides, isolates; the BOM), and the
    // halves of broken surrogate pairs (a pair is handled before this is asked).
    private static bool IsRemoved(char c) =>
        c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF' || char.IsSurrogate(c);
}
