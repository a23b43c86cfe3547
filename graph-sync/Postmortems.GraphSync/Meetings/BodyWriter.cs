using System.Net;
using System.Text;

namespace Postmortems.GraphSync.Meetings;

/// <summary>One table cell; <see cref="Emphasis"/> shows it in bold red (an overdue date).</summary>
internal sealed record Cell(string Text, bool Emphasis = false);

/// <summary>A list item: <see cref="Text"/> as a link to <see cref="Link"/> (plain when it is not a web link), a comma, then <see cref="Detail"/>.</summary>
internal sealed record LinkedItem(string Text, Uri? Link, string Detail);

/// <summary>
/// Writes an invite body twice, as HTML and as plain text, from the same calls so the two never drift apart. All text
/// passed in is treated as user text and HTML-encoded; the only markup is the writer's own. Styles are inline because
/// Outlook drops style sheets and classes.
/// </summary>
internal sealed class BodyWriter
{
    private const string TableStyle = "border-collapse:collapse;margin:4px 0 12px 0;font-size:14px;";
    private const string CellStyle = "border:1px solid #d1d1d1;padding:4px 8px;vertical-align:top;text-align:left;";
    private const string HeaderCellStyle = CellStyle + "background-color:#f3f2f1;font-weight:600;";

    private readonly StringBuilder _html = new();
    private readonly StringBuilder _text = new();

    public BodyWriter()
    {
        _html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:1.4;color:#242424;\">");
    }

    public void Heading(int level, string text)
    {
        string size = level switch { 1 => "20px", 2 => "17px", _ => "15px" };
        _html.Append("<h").Append(level).Append(" style=\"font-size:").Append(size).Append(";margin:16px 0 6px 0;\">")
            .Append(Encode(text)).Append("</h").Append(level).Append('>');
        if (_text.Length > 0)
        {
            _text.AppendLine();
        }

        _text.AppendLine(text);
        _text.AppendLine(new string(level == 1 ? '=' : '-', Math.Min(text.Length, 60)));
    }

    public void Paragraph(string text)
    {
        _html.Append("<p style=\"margin:4px 0 8px 0;\">").Append(Encode(text)).Append("</p>");
        _text.AppendLine(text);
    }

    public void LabelledLine(string label, string text)
    {
        _html.Append("<p style=\"margin:4px 0;\"><b>").Append(Encode(label)).Append(":</b> ").Append(Encode(text)).Append("</p>");
        _text.Append(label).Append(": ").AppendLine(text);
    }

    public void BulletList(IReadOnlyList<string> items) => List("ul", items, _ => "- ");

    public void NumberedList(IReadOnlyList<string> items) => List("ol", items, i => $"{i + 1}. ");

    public void Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<Cell>> rows)
    {
        _html.Append("<table style=\"").Append(TableStyle).Append("\"><tr>");
        foreach (string header in headers)
        {
            _html.Append("<th style=\"").Append(HeaderCellStyle).Append("\">").Append(Encode(header)).Append("</th>");
        }

        _html.Append("</tr>");
        foreach (var row in rows)
        {
            _html.Append("<tr>");
            foreach (var cell in row)
            {
                _html.Append("<td style=\"").Append(CellStyle).Append("\">");
                _html.Append(cell.Emphasis ? "<b style=\"color:#c50f1f;\">" : string.Empty)
                    .Append(Encode(cell.Text))
                    .Append(cell.Emphasis ? "</b>" : string.Empty);
                _html.Append("</td>");
            }

            _html.Append("</tr>");

            // Plain text has no table: one line per row, the columns joined.
            _text.Append("- ").AppendLine(string.Join(" | ", row.Select(c => c.Text).Where(t => t.Length > 0)));
        }

        _html.Append("</table>");
    }

    public void Quote(string text, string attribution)
    {
        _html.Append("<blockquote style=\"margin:4px 0 8px 0;padding:4px 12px;border-left:3px solid #5b5fc7;\">")
            .Append("<p style=\"margin:4px 0;font-style:italic;\">\u201C").Append(Encode(text)).Append("\u201D</p>")
            .Append("<p style=\"margin:4px 0;\">\u2014 ").Append(Encode(attribution)).Append("</p></blockquote>");
        _text.Append('\u201C').Append(text).AppendLine("\u201D");
        _text.Append("\u2014 ").AppendLine(attribution);
    }

    public void Link(string text, Uri uri)
    {
        _html.Append("<p style=\"margin:12px 0;\"><a href=\"").Append(Encode(uri.AbsoluteUri)).Append("\">")
            .Append(Encode(text)).Append("</a></p>");
        _text.AppendLine();
        _text.Append(text).Append(": ").AppendLine(uri.AbsoluteUri);
    }

    /// <summary>A bulleted list whose items start with a link; in plain text the address follows the item.</summary>
    public void LinkedList(IReadOnlyList<LinkedItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        _html.Append("<ul style=\"margin:4px 0 8px 0;padding-left:24px;\">");
        foreach (var item in items)
        {
            _html.Append("<li>");
            if (IsWebLink(item.Link))
            {
                _html.Append("<a href=\"").Append(Encode(item.Link!.AbsoluteUri)).Append("\">").Append(Encode(item.Text)).Append("</a>");
            }
            else
            {
                _html.Append(Encode(item.Text));
            }

            _html.Append(", ").Append(Encode(item.Detail)).Append("</li>");
            _text.Append("- ").Append(item.Text).Append(", ").Append(item.Detail);
            _text.AppendLine(IsWebLink(item.Link) ? " " + item.Link!.AbsoluteUri : string.Empty);
        }

        _html.Append("</ul>");
    }

    /// <summary>Only web links: a javascript: or data: address must never become a clickable href.</summary>
    public static bool IsWebLink(Uri? link) =>
        link is { IsAbsoluteUri: true } && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp);

    public InviteBody Build() => new(_html.ToString() + "</body></html>", _text.ToString());

    private void List(string tag, IReadOnlyList<string> items, Func<int, string> textMarker)
    {
        if (items.Count == 0)
        {
            return;
        }

        _html.Append('<').Append(tag).Append(" style=\"margin:4px 0 8px 0;padding-left:24px;\">");
        for (int i = 0; i < items.Count; i++)
        {
            _html.Append("<li>").Append(Encode(items[i])).Append("</li>");
            _text.Append(textMarker(i)).AppendLine(items[i]);
        }

        _html.Append("</").Append(tag).Append('>');
    }

    /// <summary>HTML-encodes user text and keeps its line breaks visible.</summary>
    private static string Encode(string text) =>
        WebUtility.HtmlEncode(text).ReplaceLineEndings("<br>");
}
