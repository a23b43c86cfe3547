using System.Text;

namespace Postmortems.Bot.Cards;

/// <summary>
/// User text in a card, shown as typed. Teams renders the text of a TextBlock and the titles and values of a FactSet
/// as Markdown (the Adaptive Cards subset: bold, italic, links, bulleted and numbered lists; see adaptivecards.io,
/// "Text features" and the TextBlock's Markdown support), so "[x](https://…)" typed in a field would become a link in
/// everyone's chat. The Teams renderers honour backslash escapes, so escaping each character that can start Markdown
/// shows the text literally. Only for TextBlock text and Fact titles and values: input values, placeholders and
/// choice titles are not Markdown, and stored text is never escaped. The tab's Markdown export has its own escaper
/// (<c>Postmortems.Tabs.Export.MarkdownText</c>) on purpose: a CommonMark file renders HTML, so it also writes
/// entities, which card text would show as typed ("&amp;lt;").
/// </summary>
public static class CardText
{
    private const string Special = "\\*_[]()~`#>+-!";

    /// <summary>
    /// <paramref name="text"/> with every Markdown character backslash-escaped, and the "." of a line that starts with
    /// digits ("1. x") escaped so it does not become a numbered list. Newlines are kept; null is the empty string.
    /// </summary>
    public static string Literal(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        bool lineStart = true;
        bool digits = false;
        foreach (char c in text)
        {
            if (Special.Contains(c, StringComparison.Ordinal) || (c == '.' && digits))
            {
                builder.Append('\\');
            }

            builder.Append(c);
            if (c is '\n' or '\r')
            {
                (lineStart, digits) = (true, false);
            }
            else if (lineStart && char.IsAsciiDigit(c))
            {
                digits = true;
            }
            else if (!(lineStart && !digits && c is ' ' or '\t'))
            {
                (lineStart, digits) = (false, false);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A name, title or other user text for the <c>text</c> of a plain message (not a card), neutralised without
    /// backslashes. Whether a client renders that text as Markdown (Teams does, whatever textFormat says) or shows it
    /// as typed (clients that honour textFormat "plain", notifications, logs), it must read the same and never format:
    /// a backslash escape would show up as a stray "\" in the second case. So nothing is escaped; instead the few
    /// characters that could start Markdown or HTML are replaced by plain, visibly different ones (never by
    /// look-alikes that could pass for the original):
    /// line breaks and control characters become spaces (the one rule for names, <see cref="Core.Common.SingleLineText"/>),
    /// "[" and "]" become "(" and ")" (no link or image), "&lt;" becomes "(" (no tag, autolink or mention markup),
    /// "*", "_", "~" and "`" become spaces (no emphasis, strikethrough or code), runs of spaces become one, and a
    /// leading "#", "&gt;", "-", "+" or "=" is dropped (no heading, quote or list). Backslashes the user typed stay.
    /// </summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            char replaced = c switch
            {
                '[' or '<' => '(',
                ']' => ')',
                '*' or '_' or '~' or '`' => ' ',
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => ' ',
                _ => c,
            };
            if (replaced == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }

            if (builder.Length == 0 && replaced is '#' or '>' or '-' or '+' or '=')
            {
                continue;
            }

            builder.Append(replaced);
        }

        return builder.ToString().TrimEnd();
    }
}
