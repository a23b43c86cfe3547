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
}
