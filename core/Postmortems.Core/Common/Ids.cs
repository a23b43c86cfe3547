using System.Security.Cryptography;

namespace Postmortems.Core.Common;

/// <summary>Identifiers used in table keys. Only a narrow alphabet is allowed, so no id can break a key or an OData filter.</summary>
public static class Ids
{
    public const int MaxLength = 128;

    /// <summary>
    /// A postmortem id that sorts newest first as a row key: the inverted creation time in 16 hex digits,
    /// then 4 random hex digits so two postmortems started in the same tick do not collide.
    /// </summary>
    public static string NewPostmortemId(DateTimeOffset createdAt)
    {
        long inverted = DateTime.MaxValue.Ticks - createdAt.UtcTicks;
        return string.Create(null, stackalloc char[20], $"{inverted:x16}{RandomNumberGenerator.GetInt32(0x10000):x4}");
    }

    /// <summary>
    /// The same, with the suffix derived from <paramref name="seed"/> (e.g. the conversation and activity id), so a
    /// redelivered "new" command produces the same id and is stored once.
    /// </summary>
    public static string NewPostmortemId(DateTimeOffset createdAt, string seed)
    {
        long inverted = DateTime.MaxValue.Ticks - createdAt.UtcTicks;
        return $"{inverted:x16}{DerivedId(seed)[..4]}";
    }

    /// <summary>A stable 32-hex-digit id derived from <paramref name="seed"/>: the same seed always gives the same id.</summary>
    public static string DerivedId(string seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..32];
    }

    /// <summary>An id for an item inside a postmortem (timeline entry, idea, action, …).</summary>
    public static string NewItemId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// True when the value can be used inside a partition or row key: 1 to 128 characters of letters, digits,
    /// '-', '_' and '.'. Table Storage forbids '/', '\', '#', '?' and control characters; we also keep out '|'
    /// (our key separator) and quotes (OData filters).
    /// </summary>
    public static bool IsValidKeyPart(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
