using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Postmortems.Core.Common;

namespace Postmortems.Tabs.Auth;

/// <summary>
/// What a Teams SSO token must say beyond its signature and lifetime (PROTOCOL.md F.3): an Entra issuer for the
/// token's own tenant, v1 or v2, and that tenant allowed here; the app as audience; the user's ids.
/// </summary>
public static class EntraTokenRules
{
    /// <summary>Issuer of v2 access tokens, for the token's tid.</summary>
    public static string V2Issuer(string tenantId) => $"https://login.microsoftonline.com/{tenantId}/v2.0";

    /// <summary>Issuer of v1 access tokens, for the token's tid.</summary>
    public static string V1Issuer(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    /// <summary>
    /// Accepts the issuer only when it is Entra's issuer for the tid inside the token (the "common" metadata serves
    /// every tenant's keys, so the issuer itself must pin the tenant) and, with <paramref name="allowedTenantId"/>
    /// set, only that tenant.
    /// </summary>
    public static IssuerValidator IssuerValidator(string? allowedTenantId) => (issuer, token, _) =>
    {
        string? tenantId = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>(TabCaller.TenantClaim, out var tid) ? tid : null;
        if (tenantId is null || !Ids.IsValidKeyPart(tenantId))
        {
            throw new SecurityTokenInvalidIssuerException("The token names no tenant (tid).");
        }

        if (!string.IsNullOrEmpty(allowedTenantId) && !string.Equals(tenantId, allowedTenantId, StringComparison.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidIssuerException("The token's tenant is not allowed to use this app.");
        }

        if (string.Equals(issuer, V2Issuer(tenantId), StringComparison.Ordinal) || string.Equals(issuer, V1Issuer(tenantId), StringComparison.Ordinal))
        {
            return issuer;
        }

        throw new SecurityTokenInvalidIssuerException("The token's issuer is not Entra ID for the token's tenant.");
    };

    /// <summary>v2 tokens carry the client id as audience, v1 tokens the app id URI; both are accepted.</summary>
    public static IReadOnlyList<string> Audiences(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new[] { options.ClientId, options.ApplicationIdUri }
            .Where(a => !string.IsNullOrWhiteSpace(a))
            .Select(a => a!)
            .ToList();
    }

    /// <summary>The scope claim is a space-separated list.</summary>
    public static bool HasScope(string? scopes, string required) =>
        !string.IsNullOrEmpty(scopes) && scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(required, StringComparer.Ordinal);
}
