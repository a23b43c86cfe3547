using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.Core;

public static class PostmortemServiceCollectionExtensions
{
    /// <summary>Binds and validates the "Postmortems" settings at start-up.</summary>
    public static IServiceCollection AddPostmortemRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostmortemOptions>()
            .Bind(configuration.GetSection(PostmortemOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps),
                "Postmortems:PublicBaseUrl must be the app's https address, or empty.")
            .ValidateOnStart();
        return services;
    }
}
