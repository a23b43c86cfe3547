using System.Text;

namespace Postmortems.Tabs.Export;

/// <summary>
/// User text made safe for Markdown: it renders as the text that was typed, never as formatting, links or HTML.
/// Every ASCII punctuation character CommonMark can give meaning to is backslash-escaped, and &lt; &gt; &amp; are
/// written as HTML entities, so raw HTML cannot start even in renderers that allow it.
/// </summary>
public static class MarkdownText
{
    private const string Specials = "\\`*_{}[]()#+-.!|~:@$^=";

    /// <summary>One line of text; line breaks in it become spaces.</summary>
    public static string Inline(string? text) => Escape(string.Join(' ', Lines(text)));

    /// <summary>
    /// Text that may span lines: each line is escaped and trimmed (so no line starts a code block or a list), and
    /// lines are joined with hard breaks indented by <paramref name="indent"/>, so they stay inside their list item.
    /// </summary>
    public static string Block(string? text, string indent = "") =>
        string.Join("  \n" + indent, Lines(text).Select(Escape));

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                default:
                    if (Specials.Contains(c, StringComparison.Ordinal))
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<string> Lines(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0);
}
