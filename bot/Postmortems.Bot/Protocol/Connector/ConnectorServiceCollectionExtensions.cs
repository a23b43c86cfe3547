using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Postmortems.Bot.Protocol.Connector;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConnectorClient"/> (a typed HttpClient with retries) and what it needs: the trusted service
    /// URLs, one token provider and one rate limiter for the process. Expects IOptions&lt;BotOptions&gt; and TimeProvider.
    /// </summary>
    public static IServiceCollection AddConnectorClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrustedServiceUrls>();
        services.TryAddSingleton(sp => new ConnectorTokenProvider(sp.GetRequiredService<IOptions<BotOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ConnectorRateLimiter>();
        services.TryAddTransient<ConnectorRetryHandler>();
        services.AddHttpClient<ConnectorClient>(http =>
            {
                // A backstop only: attempts have their own timeout in ConnectorRetryHandler, which also waits between them.
                http.Timeout = TimeSpan.FromMinutes(4);
            })
            // A redirect would lead the bearer token off the trusted service URL.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<ConnectorRetryHandler>();
        return services;
    }
}
