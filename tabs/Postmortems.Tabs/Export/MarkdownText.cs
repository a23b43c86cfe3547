using System.Text;

namespace Postmortems.Tabs.Export;

/// <summary>
/// User text made safe for Markdown: rendered by any CommonMark renderer (GitHub's extensions included) it gives the
/// text that was typed, never formatting, a link or HTML, and the raw file stays easy to read. Only what CommonMark
/// (spec 0.31) could read as syntax in that position gets a backslash (every ASCII punctuation character may be
/// backslash-escaped, §2.4):
/// <list type="bullet">
/// <item><description>anywhere: <c>*</c> <c>`</c> <c>[</c> <c>]</c> <c>&lt;</c> <c>|</c> <c>~</c> (emphasis, code,
/// links and images, autolinks and raw HTML, GFM tables and strikethrough); <c>_</c> unless it sits between two
/// letters or digits (intraword <c>_</c> never emphasises, §6.2, so <c>snake_case</c> stays as typed);
/// <c>\</c> before punctuation or at the end of a line (an escape or a hard break, §2.4, §6.7); <c>&amp;</c> that
/// starts something shaped like an entity (§2.5); the <c>:</c> of <c>://</c> and the dot of <c>www.</c> (GFM
/// autolinks);</description></item>
/// <item><description>at the start of a line of <see cref="Block"/> text: <c>#</c> <c>&gt;</c> <c>-</c> <c>+</c>
/// <c>=</c> (headings, quotes, list items, thematic breaks, setext underlines), and the <c>.</c> or <c>)</c> after
/// leading digits when a space follows (ordered lists, §5.2).</description></item>
/// </list>
/// So "0.1%", "09:10", "on-call" and "R&amp;D" come out as typed. Lines are trimmed, so none starts a code block.
/// Plain code, one pass: linear in the length of the text.
/// </summary>
public static class MarkdownText
{
    private const int LongestEntity = 32;

    /// <summary>One line of text, placed after other text on its line; line breaks in it become spaces.</summary>
    public static string Inline(string? text) => EscapeClosingHashes(Escape(string.Join(' ', Lines(text)), lineStart: false));

    /// <summary>
    /// Text that may span lines, each of which may start a block: each line is trimmed and escaped, and lines are
    /// joined with hard breaks indented by <paramref name="indent"/>, so they stay inside their list item.
    /// </summary>
    public static string Block(string? text, string indent = "") =>
        string.Join("  \n" + indent, Lines(text).Select(l => Escape(l, lineStart: true)));

    /// <summary>One line escaped; with <paramref name="lineStart"/>, as the first thing on a line of the document.</summary>
    public static string Escape(string text, bool lineStart)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        int leadingDigits = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            char previous = i > 0 ? text[i - 1] : '\0';
            bool first = lineStart && i == 0;
            if (lineStart && leadingDigits == i && char.IsAsciiDigit(c))
            {
                leadingDigits++;
            }

            bool escape = c switch
            {
                '*' or '`' or '[' or ']' or '<' or '|' or '~' => true,
                '_' => !(char.IsLetterOrDigit(previous) && char.IsLetterOrDigit(next)),
                '\\' => next == '\0' || IsAsciiPunctuation(next),
                '&' => StartsEntity(text, i),
                ':' => next == '/' && i + 2 < text.Length && text[i + 2] == '/',
                '.' => (lineStart && leadingDigits == i && i > 0 && (next is '\0' or ' ' or '\t'))
                    || (i >= 3 && text.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase) && (i == 3 || !char.IsLetterOrDigit(text[i - 4]))),
                ')' => lineStart && leadingDigits == i && i > 0 && next is '\0' or ' ' or '\t',
                '#' or '>' or '-' or '+' or '=' => first,
                _ => false,
            };
            if (escape)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    // §4.2: an ATX heading's closing run of '#' (after a space, to the end of the line) is not part of its text.
    private static string EscapeClosingHashes(string line)
    {
        int end = line.Length;
        int start = end;
        while (start > 0 && line[start - 1] == '#')
        {
            start--;
        }

        return start < end && (start == 0 || line[start - 1] == ' ') ? line[..start] + "\\" + line[start..] : line;
    }

    // §2.5: &name; &#digits; &#xhex; — anything else beginning with '&' is literal text already.
    private static bool StartsEntity(string text, int at)
    {
        for (int i = at + 1; i < text.Length && i <= at + LongestEntity; i++)
        {
            char c = text[i];
            if (c == ';')
            {
                return i > at + 1;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || (c == '#' && i == at + 1)))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsAsciiPunctuation(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    private static IEnumerable<string> Lines(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(['\r', '\n', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0);
}
