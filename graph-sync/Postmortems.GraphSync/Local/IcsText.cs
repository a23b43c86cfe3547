using System.Text;
using Postmortems.Core.Common;

namespace Postmortems.GraphSync.Local;

/// <summary>
/// What makes user text safe in an iCalendar file (RFC 5545). Ical.Net escapes TEXT values (§3.3.11: "\\", "\;",
/// "\,", "\n") and quotes parameter values that hold ";", ":" or ","; these two steps cover what it does not:
/// a parameter value (the CN of an attendee or organizer) cannot hold a line break, a control character or a DQUOTE
/// even when quoted (§3.1: QSAFE-CHAR is any character but CONTROL and DQUOTE), and lines are folded at 75 octets
/// without splitting a UTF-8 sequence (§3.1).
/// </summary>
public static class IcsText
{
    private const int MaxLineOctets = 75;

    /// <summary>
    /// A name as a parameter value (§3.2.2 CN): the one rule for names (<see cref="SingleLineText.Name"/>: no line
    /// breaks or control characters), and each DQUOTE replaced by an apostrophe, since §3.1 allows none inside quotes.
    /// </summary>
    public static string CommonName(string? name) => SingleLineText.Name(name, "Someone").Replace('"', '\'');

    /// <summary>
    /// <paramref name="calendar"/> with every content line folded as §3.1 asks: CRLF line ends, no line longer than
    /// 75 octets, a continuation line starts with one space, and a fold never falls inside a UTF-8 sequence (whole
    /// Unicode scalar values only). Lines already folded are unfolded first, so the result does not depend on how
    /// the serializer folded.
    /// </summary>
    public static string Fold(string calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var logical = new List<StringBuilder>();
        foreach (string line in calendar.Split("\r\n"))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && logical.Count > 0)
            {
                logical[^1].Append(line, 1, line.Length - 1);
            }
            else if (line.Length > 0)
            {
                logical.Add(new StringBuilder(line));
            }
        }

        var folded = new StringBuilder(calendar.Length + (calendar.Length / 50));
        foreach (var line in logical)
        {
            // A line break inside a content line would end it early and start a line of the text's choosing.
            if (line.ToString() is var text && (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("A calendar content line holds a line break; its value was not escaped.");
            }

            AppendFolded(folded, text);
        }

        return folded.ToString();
    }

    private static void AppendFolded(StringBuilder folded, string line)
    {
        int octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            int size = rune.Utf8SequenceLength;
            if (octets + size > MaxLineOctets)
            {
                folded.Append("\r\n ");
                octets = 1;
            }

            folded.Append(rune.ToString());
            octets += size;
        }

        folded.Append("\r\n");
    }
}
