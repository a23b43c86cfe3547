using System.Globalization;
using System.Text;

namespace Postmortems.Bot.MessageExtension;

/// <summary>The plain text of a Teams message, and whether it had to be shortened to fit.</summary>
public sealed record PlainText(string Text, bool Shortened);

/// <summary>
/// Turns a Teams message body (HTML or text) into plain text for a timeline entry, in one pass over the input with no
/// regular expression and no tree: time and memory grow with the input's length whatever its nesting. Tags are dropped
/// and their text kept, so a mention (&lt;at id="0"&gt;Ops&lt;/at&gt;) reads as the name; block tags and &lt;br&gt;
/// become line breaks; script, style and comments are dropped with everything in them; character references are
/// decoded; runs of white space become one space; control characters go. Nothing here is escaped: the result is stored
/// as typed text, and each output escapes it (CardText for cards).
/// </summary>
public static class MessageText
{
    /// <summary>Appended to a message that was too long for the entry, so the reader knows there is more.</summary>
    public const string ShortenedNote = " … (shortened: the full message is linked from the entry)";

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "section", "article", "header", "footer",
    };

    /// <summary>Tags dropped with their whole content.</summary>
    private static readonly string[] DroppedWithContent = ["script", "style", "head", "title", "template", "textarea"];

    /// <param name="content">The message body.</param>
    /// <param name="isHtml">True for body.contentType "html" (Teams' usual), false for "text".</param>
    /// <param name="limit">The longest result, the note included.</param>
    public static PlainText ToPlainText(string? content, bool isHtml, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, ShortenedNote.Length + 1);
        var output = new Output(limit - ShortenedNote.Length);
        if (!string.IsNullOrEmpty(content))
        {
            if (isHtml)
            {
                ReadHtml(content, output);
            }
            else
            {
                foreach (char c in content)
                {
                    if (c == '\n')
                    {
                        output.LineBreak(adds: true);
                    }
                    else if (!output.Add(c))
                    {
                        break;
                    }
                }
            }
        }

        string text = output.ToString();
        return output.Full ? new PlainText(text + ShortenedNote, Shortened: true) : new PlainText(text, Shortened: false);
    }

    private static void ReadHtml(string html, Output output)
    {
        int i = 0;
        while (i < html.Length && !output.Full)
        {
            char c = html[i];
            if (c == '&')
            {
                i = ReadReference(html, i, output);
            }
            else if (c == '<' && i + 1 < html.Length && (char.IsAsciiLetter(html[i + 1]) || html[i + 1] is '/' or '!' or '?'))
            {
                i = ReadTag(html, i, output);
            }
            else
            {
                output.Add(c);
                i++;
            }
        }
    }

    /// <summary>Reads the tag at <paramref name="start"/> ('&lt;') and returns the index after it (and after its content, for dropped tags).</summary>
    private static int ReadTag(string html, int start, Output output)
    {
        if (string.CompareOrdinal(html, start, "<!--", 0, 4) == 0)
        {
            int close = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
            return close < 0 ? html.Length : close + 3;
        }

        int end = EndOfTag(html, start + 1);
        int nameStart = start + 1 + (html[start + 1] == '/' ? 1 : 0);
        int nameEnd = nameStart;
        while (nameEnd < end && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }

        string name = html[nameStart..nameEnd];
        bool closing = html[start + 1] == '/';
        if (!closing && Array.Exists(DroppedWithContent, t => t.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            // Everything up to the matching end tag goes; one forward search, so the whole pass stays linear.
            int close = html.IndexOf("</" + name, end, StringComparison.OrdinalIgnoreCase);
            return close < 0 ? html.Length : EndOfTag(html, close + 2);
        }

        if (BlockTags.Contains(name))
        {
            // Two <br> in a row make a blank line; the end of one block and the start of the next make one line break.
            output.LineBreak(adds: name.Equals("br", StringComparison.OrdinalIgnoreCase));
        }

        return end;
    }

    /// <summary>The index after the '&gt;' that ends a tag whose text starts at <paramref name="from"/>; quoted attribute values may hold '&gt;'.</summary>
    private static int EndOfTag(string html, int from)
    {
        char quote = '\0';
        for (int i = from; i < html.Length; i++)
        {
            char c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        return html.Length;
    }

    /// <summary>Decodes the character reference at <paramref name="start"/> ('&amp;'); anything else is kept as typed.</summary>
    private static int ReadReference(string html, int start, Output output)
    {
        const int LongestReference = 10;
        int semicolon = -1;
        for (int i = start + 1; i < html.Length && i <= start + LongestReference; i++)
        {
            if (html[i] == ';')
            {
                semicolon = i;
                break;
            }

            if (!char.IsAsciiLetterOrDigit(html[i]) && html[i] != '#')
            {
                break;
            }
        }

        string? decoded = semicolon < 0 ? null : Decode(html[(start + 1)..semicolon]);
        if (decoded is null)
        {
            output.Add('&');
            return start + 1;
        }

        foreach (char c in decoded)
        {
            output.Add(c);
        }

        return semicolon + 1;
    }

    private static string? Decode(string name)
    {
        switch (name)
        {
            case "amp": return "&";
            case "lt": return "<";
            case "gt": return ">";
            case "quot": return "\"";
            case "apos": return "'";
            case "nbsp": return " ";
        }

        if (name.Length < 2 || name[0] != '#')
        {
            return null;
        }

        bool hex = name[1] is 'x' or 'X';
        bool parsed = hex
            ? int.TryParse(name.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            : int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out code);
        return parsed && code is > 0 and <= 0x10FFFF && code is < 0xD800 or > 0xDFFF ? char.ConvertFromUtf32(code) : null;
    }

    /// <summary>Collects the text: white space collapsed, at most one blank line, control characters dropped, stops at its limit.</summary>
    private sealed class Output(int limit)
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;
        private char _high;

        public bool Full { get; private set; }

        /// <summary>Adds one character; false once the limit is reached.</summary>
        public bool Add(char c)
        {
            if (Full)
            {
                return false;
            }

            if (char.IsWhiteSpace(c))
            {
                _pendingSpace |= _text.Length > 0;
                return true;
            }

            if (char.IsControl(c) || (char.GetUnicodeCategory(c) is UnicodeCategory.Format && c is not '\u200D'))
            {
                // Bidi overrides and other invisible formatting characters can make a line read differently than it is.
                return true;
            }

            // A character outside the BMP is two chars: both go in, or neither; a lone half of a pair is dropped (storage refuses it).
            char high = _high;
            _high = '\0';
            if (char.IsHighSurrogate(c))
            {
                _high = c;
                return true;
            }

            if (char.IsLowSurrogate(c) && high == '\0')
            {
                return true;
            }

            string separator = _pendingBreaks > 0 ? new string('\n', Math.Min(_pendingBreaks, 2)) : _pendingSpace ? " " : string.Empty;
            int length = char.IsLowSurrogate(c) ? 2 : 1;
            if (_text.Length + separator.Length + length > limit)
            {
                Full = true;
                return false;
            }

            _text.Append(separator);
            if (length == 2)
            {
                _text.Append(high);
            }

            _text.Append(c);
            (_pendingBreaks, _pendingSpace) = (0, false);
            return true;
        }

        public void LineBreak(bool adds)
        {
            if (_text.Length > 0)
            {
                _pendingBreaks = adds ? _pendingBreaks + 1 : Math.Max(_pendingBreaks, 1);
                _pendingSpace = false;
            }
        }

        public override string ToString() => _text.ToString();
    }
}
