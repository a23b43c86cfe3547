using System.Text;

namespace Postmortems.Tabs.Export;

/// <summary>
/// The one way the product writes a CSV field (RFC 4180), safe to open in a spreadsheet. A field that starts with
/// '=', '+', '-', '@', a tab or a carriage return would be run as a formula by Excel and others ("CSV injection",
/// OWASP), so it gets a leading apostrophe, which spreadsheets show as text; then a field holding a comma, a quote, a
/// semicolon or a line break is quoted, with quotes doubled. Numbers are written by the caller in the invariant culture
/// and pass through unchanged (a negative number is never user text here).
/// </summary>
public static class CsvText
{
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        string text = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\";\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>One line of fields, ended with CRLF as RFC 4180 asks.</summary>
    public static void Line(StringBuilder csv, params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(fields);
        csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }
}
