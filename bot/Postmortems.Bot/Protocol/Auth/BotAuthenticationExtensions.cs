using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Postmortems.Bot.Protocol.Auth;

public static class BotAuthenticationExtensions
{
    /// <summary>
    /// Registers <see cref="BotSigningKeys"/> (with its own named HttpClient) and <see cref="BotTokenValidator"/> as
    /// singletons. The caller registers <c>IOptions&lt;BotOptions&gt;</c> and <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddBotTokenValidation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The client lives as long as the singleton, so the handler recycles its connections itself (DNS changes).
        services.AddHttpClient(BotSigningKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(15))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(provider => new BotSigningKeys(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(BotSigningKeys.HttpClientName),
            provider.GetRequiredService<IOptions<BotOptions>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<BotTokenValidator>();
        return services;
    }
}
