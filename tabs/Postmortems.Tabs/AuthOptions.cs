namespace Postmortems.Tabs;

/// <summary>
/// Settings under "Auth": how the tab API checks Teams single sign-on tokens. With no <see cref="ClientId"/>, the tab
/// API accepts only the local development identity, only on loopback, only in Development.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The Entra app registration's client id; tokens must be issued for it or for its app id URI.</summary>
    public string? ClientId { get; set; }

    /// <summary>The tenant allowed to call the tab API. Empty: any tenant (a multi-tenant app); each is still kept apart.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app id URI, e.g. api://host/&lt;client id&gt;. Tokens for it are accepted as well as for the client id.</summary>
    public string? ApplicationIdUri { get; set; }

    /// <summary>The OpenID Connect metadata the signing keys come from. Overridable so tests can run a local issuer.</summary>
    public Uri MetadataAddress { get; set; } = new("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration");

    /// <summary>The delegated scope the tab's token must carry (scp), as exposed by the app registration.</summary>
    public string RequiredScope { get; set; } = "access_as_user";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
