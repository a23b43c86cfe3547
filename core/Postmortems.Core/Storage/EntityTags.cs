namespace Postmortems.Core.Storage;

/// <summary>
/// ETags that come back from clients (a card's data, a tab's If-Match) before they reach storage. Only an opaque
/// entity tag as storage issues it (RFC 9110: optionally W/, then a quoted string of visible characters other than the
/// quote) can match a stored version. Anything else, "*" included, is a version nobody read: a client must not turn a
/// conditional write into an unconditional one, nor make storage refuse the header (a 400 that would surface as a 500).
/// </summary>
public static class EntityTags
{
    public static bool IsWellFormed(string? etag)
    {
        if (string.IsNullOrEmpty(etag) || etag.Length > 256)
        {
            return false;
        }

        var opaque = etag.StartsWith("W/", StringComparison.Ordinal) ? etag.AsSpan(2) : etag.AsSpan();
        if (opaque.Length < 2 || opaque[0] != '"' || opaque[^1] != '"')
        {
            return false;
        }

        foreach (char c in opaque[1..^1])
        {
            if (c is not ('\x21' or (>= '\x23' and <= '\x7E')))
            {
                return false;
            }
        }

        return true;
    }
}
