using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Postmortems.Core.Actions;

namespace Postmortems.Tabs.Api;

/// <summary>
/// The continuation token of "my actions": the position of the last action of a page, encrypted and signed with
/// ASP.NET Core Data Protection under a purpose that names the tenant and the owner. The client can't read it or make
/// one up, and a token given to one person does not open for anyone else: both are refused as a bad token. (Several
/// app instances must share Data Protection's key ring, which App Service does for its instances.)
/// </summary>
public sealed class MyActionsContinuation(IDataProtectionProvider provider)
{
    /// <summary>Longer than any token we give out (about 250 characters), so a large one is refused before any work.</summary>
    public const int MaxLength = 1024;

    private const string Purpose = "Postmortems.Tabs.MyActions.Continuation";
    private const byte Version = 2;

    public string Create(string tenantId, string ownerId, OwnedActionPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        byte[] key = Encoding.UTF8.GetBytes(position.RowKey);
        byte[] plain = new byte[1 + 4 + 8 + 1 + key.Length];
        plain[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(1), position.DueDate?.DayNumber ?? -1);
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(5), position.CreatedAt.UtcTicks);
        plain[13] = (byte)position.Priority;
        key.CopyTo(plain, 14);
        return WebEncoders.Base64UrlEncode(Protector(tenantId, ownerId).Protect(plain));
    }

    /// <summary>The position in a token this caller was given, or null for anything else.</summary>
    public OwnedActionPosition? Read(string tenantId, string ownerId, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is 0 or > MaxLength)
        {
            return null;
        }

        byte[] plain;
        try
        {
            plain = Protector(tenantId, ownerId).Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }

        if (plain.Length < 15 || plain[0] != Version || !Enum.IsDefined((ActionPriority)plain[13]))
        {
            return null;
        }

        int day = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(1));
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(plain.AsSpan(5));
        if (day < -1 || day > DateOnly.MaxValue.DayNumber || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new OwnedActionPosition(
            day == -1 ? null : DateOnly.FromDayNumber(day),
            new DateTimeOffset(ticks, TimeSpan.Zero),
            Encoding.UTF8.GetString(plain.AsSpan(14)),
            (ActionPriority)plain[13]);
    }

    private IDataProtector Protector(string tenantId, string ownerId) => provider.CreateProtector(Purpose, tenantId, ownerId);
}
