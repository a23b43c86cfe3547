using Microsoft.Extensions.DependencyInjection.Extensions;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Protocol.Auth;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Protocol;

public static class BotProtocolServiceCollectionExtensions
{
    /// <summary>The Bot Framework protocol (settings, inbound tokens, the Connector client) and the bot's conversation handling.</summary>
    public static IServiceCollection AddBotProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>()
            .Bind(configuration.GetSection(BotOptions.Section))
            .Validate(o => o.IsLocalMode || Guid.TryParse(o.AppId, out _), "Bot:AppId must be the bot's Microsoft App ID (a GUID), or empty for local mode.")
            .Validate(o => string.IsNullOrEmpty(o.TenantId) || Guid.TryParse(o.TenantId, out _), "Bot:TenantId must be a tenant id (a GUID), or empty for a multi-tenant bot.")
            .Validate(o => !o.IsLocalMode || string.IsNullOrEmpty(o.AppPassword), "Bot:AppPassword is set but Bot:AppId is empty. Set both, or neither for local mode.")
            .Validate(o => o.OpenIdMetadataUrl.Scheme == Uri.UriSchemeHttps || o.OpenIdMetadataUrl.IsLoopback,
                "Bot:OpenIdMetadataUrl must use https (http is allowed only on loopback, for tests).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddBotTokenValidation();
        services.AddConnectorClient();

        services.AddSingleton<RecentActivities>();
        services.AddSingleton<ConversationReferences>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<InvokeRouter>();
        services.AddSingleton<ActivityDispatcher>();

        return services;
    }
}
