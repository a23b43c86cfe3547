using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Postmortems.Core.Search;

namespace Postmortems.Tabs.Api;

/// <summary>
/// The continuation token of a search: the position after a page's last result and the sort it belongs to, encrypted
/// and signed with Data Protection under a purpose that names the tenant (as <see cref="MyActionsContinuation"/>). A
/// made-up, garbled or other tenant's token, or one given for another sort, reads as null.
/// </summary>
public sealed class SearchContinuation(IDataProtectionProvider provider)
{
    public const int MaxLength = 2048;

    private const string Purpose = "Postmortems.Tabs.Search.Continuation";
    private const string Version = "1";

    public string Create(string tenantId, SearchSort sort, SearchPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        string plain = string.Join('\n', Version, sort.ToString(), position.Id, position.SortKey);
        return WebEncoders.Base64UrlEncode(Protector(tenantId).Protect(Encoding.UTF8.GetBytes(plain)));
    }

    public SearchPosition? Read(string tenantId, SearchSort sort, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is 0 or > MaxLength)
        {
            return null;
        }

        try
        {
            string[] parts = Encoding.UTF8.GetString(Protector(tenantId).Unprotect(WebEncoders.Base64UrlDecode(token))).Split('\n', 4);
            return parts.Length == 4 && parts[0] == Version && parts[1] == sort.ToString() ? new SearchPosition(parts[3], parts[2]) : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private IDataProtector Protector(string tenantId) => provider.CreateProtector(Purpose, tenantId);
}
