using System.Text;

namespace Postmortems.Testing;

/// <summary>
/// A strict reader for iCalendar files (RFC 5545), written for tests: it refuses anything the RFC's grammar does not
/// allow instead of guessing, so a name or text that breaks out of its place (a new line, a new parameter, a second
/// attendee) fails the test. Section numbers refer to RFC 5545.
/// </summary>
public static class StrictIcs
{
    /// <summary>Parses a whole file; throws <see cref="FormatException"/> naming the first line that breaks the grammar.</summary>
    public static IcsCalendar Parse(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var lines = Unfold(file);
        var components = new Stack<string>();
        var all = new List<IcsComponent>();
        IcsComponent? current = null;
        foreach (var line in lines)
        {
            if (line.Name == "BEGIN")
            {
                components.Push(line.Value);
                current = new IcsComponent(line.Value, []);
                all.Add(current);
                continue;
            }

            if (line.Name == "END")
            {
                if (components.Count == 0 || components.Pop() != line.Value)
                {
                    throw new FormatException($"END:{line.Value} does not close the open component.");
                }

                current = components.Count == 0 ? null : all.Last(c => c.Name == components.Peek());
                continue;
            }

            if (current is null)
            {
                throw new FormatException($"The property {line.Name} is outside any component.");
            }

            current.Properties.Add(line);
        }

        if (components.Count > 0)
        {
            throw new FormatException($"BEGIN:{components.Peek()} is never closed.");
        }

        return new IcsCalendar(all);
    }

    /// <summary>
    /// §3.1: lines end with CRLF, no line is longer than 75 octets without its line break, a line that starts with one
    /// space or tab continues the previous one (unfolding removes the CRLF and that one character). A fold never
    /// splits a UTF-8 sequence, so every physical line is valid UTF-8 on its own.
    /// </summary>
    public static IReadOnlyList<IcsLine> Unfold(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var logical = new List<StringBuilder>();
        int start = 0;
        int number = 0;
        while (start < file.Length)
        {
            number++;
            int end = Array.IndexOf(file, (byte)'\n', start);
            if (end < 0)
            {
                throw new FormatException($"Line {number} does not end with CRLF (§3.1).");
            }

            if (end == start || file[end - 1] != (byte)'\r')
            {
                throw new FormatException($"Line {number} ends with a bare LF, not CRLF (§3.1).");
            }

            var bytes = file.AsSpan(start, end - 1 - start);
            if (bytes.IndexOf((byte)'\r') >= 0)
            {
                throw new FormatException($"Line {number} holds a bare CR (§3.1).");
            }

            if (bytes.Length > 75)
            {
                throw new FormatException($"Line {number} is {bytes.Length} octets long; the limit is 75 (§3.1).");
            }

            string text;
            try
            {
                text = strict.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new FormatException($"Line {number} is not valid UTF-8 on its own: a fold split a character (§3.1).", e);
            }

            if (text.Length > 0 && text[0] is ' ' or '\t')
            {
                if (logical.Count == 0)
                {
                    throw new FormatException("The file starts with a continuation line (§3.1).");
                }

                logical[^1].Append(text, 1, text.Length - 1);
            }
            else if (text.Length == 0)
            {
                throw new FormatException($"Line {number} is empty (§3.1: a content line has a name and a colon).");
            }
            else
            {
                logical.Add(new StringBuilder(text));
            }

            start = end + 1;
        }

        return [.. logical.Select(l => ParseLine(l.ToString()))];
    }

    /// <summary>
    /// §3.1: contentline = name *(";" param) ":" value; name = iana-token / x-name (letters, digits, "-");
    /// param = param-name "=" param-value *("," param-value); param-value = paramtext / quoted-string, where paramtext
    /// has no CONTROL, DQUOTE, ";", ":" or ",", and a quoted-string has no CONTROL or DQUOTE inside its quotes;
    /// value = *VALUE-CHAR (no CONTROL but HTAB).
    /// </summary>
    public static IcsLine ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int i = 0;
        string name = Token(line, ref i, "property name");
        var parameters = new List<IcsParameter>();
        while (i < line.Length && line[i] == ';')
        {
            i++;
            string paramName = Token(line, ref i, "parameter name");
            Expect(line, ref i, '=');
            var values = new List<string> { ParamValue(line, ref i) };
            while (i < line.Length && line[i] == ',')
            {
                i++;
                values.Add(ParamValue(line, ref i));
            }

            parameters.Add(new IcsParameter(paramName, values));
        }

        Expect(line, ref i, ':');
        string value = line[i..];
        foreach (char c in value)
        {
            if (IsControl(c))
            {
                throw new FormatException($"The value of {name} holds the control character U+{(int)c:X4} (§3.1 VALUE-CHAR).");
            }
        }

        return new IcsLine(name, parameters, value);
    }

    /// <summary>
    /// §3.3.11: TEXT escapes "\\", "\;", "\," and "\n" (or "\N"); an unescaped ";" or "," and any other backslash are
    /// errors. Returns the text as meant.
    /// </summary>
    public static string UnescapeText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length)
                {
                    throw new FormatException("A TEXT value ends with a lone backslash (§3.3.11).");
                }

                char next = value[++i];
                text.Append(next switch
                {
                    '\\' or ';' or ',' => next,
                    'n' or 'N' => '\n',
                    _ => throw new FormatException($"\"\\{next}\" is not a TEXT escape (§3.3.11)."),
                });
            }
            else if (c is ';' or ',')
            {
                throw new FormatException($"A TEXT value holds an unescaped \"{c}\" (§3.3.11).");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string Token(string line, ref int i, string what)
    {
        int start = i;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
        {
            i++;
        }

        if (i == start)
        {
            throw new FormatException($"Expected a {what} at column {start + 1} of \"{line}\" (§3.1 iana-token / x-name).");
        }

        return line[start..i].ToUpperInvariant();
    }

    private static string ParamValue(string line, ref int i)
    {
        if (i < line.Length && line[i] == '"')
        {
            int end = line.IndexOf('"', i + 1);
            if (end < 0)
            {
                throw new FormatException($"A quoted parameter value is never closed in \"{line}\" (§3.1 quoted-string).");
            }

            string quoted = line[(i + 1)..end];
            if (quoted.Any(IsControl))
            {
                throw new FormatException($"A quoted parameter value holds a control character (§3.1 QSAFE-CHAR).");
            }

            i = end + 1;
            if (i < line.Length && line[i] is not (';' or ':' or ','))
            {
                throw new FormatException($"Text follows a quoted parameter value at column {i + 1} of \"{line}\" (§3.1).");
            }

            return quoted;
        }

        int start = i;
        while (i < line.Length && line[i] is not (';' or ':' or ','))
        {
            if (line[i] == '"' || IsControl(line[i]))
            {
                throw new FormatException($"An unquoted parameter value holds U+{(int)line[i]:X4} (§3.1 SAFE-CHAR).");
            }

            i++;
        }

        return line[start..i];
    }

    private static void Expect(string line, ref int i, char c)
    {
        if (i >= line.Length || line[i] != c)
        {
            throw new FormatException($"Expected \"{c}\" at column {i + 1} of \"{line}\" (§3.1).");
        }

        i++;
    }

    // §3.1: CONTROL = %x00-08 / %x0A-1F / %x7F (HTAB is white space and allowed).
    private static bool IsControl(char c) => c is (>= '\u0000' and <= '\u0008') or (>= '\u000A' and <= '\u001F') or '\u007F';
}

public sealed record IcsParameter(string Name, IReadOnlyList<string> Values);

public sealed record IcsLine(string Name, IReadOnlyList<IcsParameter> Parameters, string Value)
{
    /// <summary>The one value of a parameter; a parameter given twice or with a list of values is an error here.</summary>
    public string? Parameter(string name)
    {
        var found = Parameters.Where(p => p.Name == name.ToUpperInvariant()).ToList();
        return found.Count switch
        {
            0 => null,
            1 when found[0].Values.Count == 1 => found[0].Values[0],
            _ => throw new FormatException($"{Name} has {name} more than once or with several values."),
        };
    }
}

public sealed record IcsComponent(string Name, List<IcsLine> Properties)
{
    public IEnumerable<IcsLine> All(string name) => Properties.Where(p => p.Name == name);

    /// <summary>A property that must appear exactly once, its TEXT value unescaped (§3.3.11).</summary>
    public string Text(string name)
    {
        var found = All(name).ToList();
        return found.Count == 1
            ? StrictIcs.UnescapeText(found[0].Value)
            : throw new FormatException($"{Name} has {found.Count} {name} properties, not one.");
    }
}

/// <summary>A person in a calendar: the common name (§3.2.2 CN) and the calendar address (§3.3.3, a mailto: URI).</summary>
public sealed record IcsPerson(string? CommonName, string Address);

public sealed record IcsCalendar(IReadOnlyList<IcsComponent> Components)
{
    public IcsComponent Event => Components.Single(c => c.Name == "VEVENT");

    /// <summary>§3.8.4.1 ATTENDEE, in order.</summary>
    public IReadOnlyList<IcsPerson> Attendees => [.. Event.All("ATTENDEE").Select(Person)];

    /// <summary>§3.8.4.3 ORGANIZER, at most one.</summary>
    public IcsPerson? Organizer => Event.All("ORGANIZER").ToList() switch
    {
        [] => null,
        [var one] => Person(one),
        _ => throw new FormatException("The event has more than one ORGANIZER (§3.6.1: at most once)."),
    };

    private static IcsPerson Person(IcsLine line)
    {
        if (!line.Value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{line.Name} is not a mailto: address: \"{line.Value}\" (§3.3.3).");
        }

        return new IcsPerson(line.Parameter("CN"), line.Value);
    }
}
