using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Postmortems.Bot.Protocol.Connector;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConnectorClient"/> (a typed HttpClient whose resilience pipeline is
    /// <see cref="ConnectorResilience"/>) and what it needs: the trusted service URLs, one token provider and one rate
    /// limiter for the process. Expects IOptions&lt;BotOptions&gt; and TimeProvider.
    /// </summary>
    public static IServiceCollection AddConnectorClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrustedServiceUrls>();
        services.TryAddSingleton(sp => new ConnectorTokenProvider(sp.GetRequiredService<IOptions<BotOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ConnectorRateLimiter>();
        var client = services.AddHttpClient<ConnectorClient>(http =>
            {
                // The pipeline's overall timeout is the one that counts; this only backs it up.
                http.Timeout = ConnectorResilience.TotalTimeout + TimeSpan.FromMinutes(1);
            })
            // A redirect would lead the bearer token off the trusted service URL.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        client.AddResilienceHandler(ConnectorResilience.PipelineName, (pipeline, context) => ConnectorResilience.Configure(
                pipeline, context.ServiceProvider.GetRequiredService<TimeProvider>(), context.ServiceProvider.GetRequiredService<ConnectorRateLimiter>()));
        client.AddHttpMessageHandler(() => new BufferedAnswerHandler());
        return services;
    }
}
