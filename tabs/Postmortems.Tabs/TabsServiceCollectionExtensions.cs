using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Tabs.Auth;

namespace Postmortems.Tabs;

public static class TabsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the tab's settings, validated at start-up so a wrong value stops the app with a clear message, and
    /// the tab API's Teams SSO authentication (its own scheme and policy; see <see cref="TabAuthentication"/>).
    /// </summary>
    public static IServiceCollection AddTabs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.ClientId is null || o.ClientId.Length == 0 || Guid.TryParse(o.ClientId, out _),
                "Auth:ClientId must be the app registration's client id (a GUID).")
            .Validate(o => string.IsNullOrEmpty(o.TenantId) || Guid.TryParse(o.TenantId, out _),
                "Auth:TenantId must be a tenant id (a GUID), or empty for a multi-tenant app.")
            .Validate(o => o.MetadataAddress.Scheme == Uri.UriSchemeHttps || o.MetadataAddress.IsLoopback,
                "Auth:MetadataAddress must use https (http is allowed only on loopback, for tests).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.RequiredScope) && !o.RequiredScope.Contains(' ', StringComparison.Ordinal),
                "Auth:RequiredScope must name one scope, e.g. access_as_user.")
            .ValidateOnStart();
        services.AddTabAuthentication();
        services.AddDataProtection();
        services.AddSingleton<Api.MyActionsContinuation>();
        services.AddSingleton<Api.SearchContinuation>();
        return services;
    }
}
