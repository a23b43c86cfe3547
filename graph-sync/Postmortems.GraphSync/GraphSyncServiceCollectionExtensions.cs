using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.GraphSync;

public static class GraphSyncServiceCollectionExtensions
{
    /// <summary>Registers the Graph settings, validated at start-up.</summary>
    public static IServiceCollection AddGraphSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.TenantId) || Guid.TryParse(o.TenantId, out _),
                "Graph:TenantId must be a tenant id (a GUID), or empty to write invites as .ics files.")
            .Validate(o => o.BaseUrl.Scheme == Uri.UriSchemeHttps || o.BaseUrl.IsLoopback,
                "Graph:BaseUrl must use https (http is allowed only on loopback, for tests).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.LocalInviteFolder),
                "Graph:LocalInviteFolder must name a folder.")
            .ValidateOnStart();
        return services;
    }
}
