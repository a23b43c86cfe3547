using System.Text.Json;

namespace Postmortems.Core.Common;

/// <summary>
/// JSON may escape a lone surrogate ("\ud800"): the document parses, but reading that string later throws
/// InvalidOperationException, deep inside whatever handler reads it (a 500). Bodies from outside are checked once, here,
/// so such a request is refused as malformed before anything acts on it.
/// </summary>
public static class JsonStrings
{
    /// <summary>
    /// True when every string value and property name decodes to valid UTF-16. Malformed JSON (or JSON deeper than
    /// <paramref name="options"/> allow) throws <see cref="JsonException"/>, as parsing it would.
    /// </summary>
    public static bool AreWellFormed(ReadOnlySpan<byte> utf8Json, JsonReaderOptions options = default)
    {
        var reader = new Utf8JsonReader(utf8Json, options);
        while (reader.Read())
        {
            // Unescaped text was already checked as UTF-8 by the reader; only escapes can make a lone surrogate.
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
