using System.Security.Claims;
using Postmortems.Core.Common;

namespace Postmortems.Tabs.Auth;

/// <summary>
/// Who calls the tab API, from the validated token only: the tenant (tid) every storage key starts with, the user's
/// object id (oid) and their display name, under the one rule for names (<see cref="SingleLineText.Name"/>).
/// </summary>
public sealed record TabCaller(string TenantId, string UserId, string Name)
{
    public const string TenantClaim = "tid";
    public const string UserClaim = "oid";
    public const string NameClaim = "name";

    /// <summary>The caller of an authorized request; the policy guarantees both ids are there.</summary>
    public static TabCaller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new TabCaller(
            user.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("The caller has no tenant: the tab policy was not applied."),
            user.FindFirstValue(UserClaim) ?? throw new InvalidOperationException("The caller has no object id: the tab policy was not applied."),
            SingleLineText.Name(user.FindFirstValue(NameClaim), string.Empty));
    }
}
