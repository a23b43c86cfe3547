using Microsoft.Extensions.Options;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Auth;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Auth;

internal static class AuthTestData
{
    public const string AppId = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
    public const string TenantId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    public static Activity Activity(string channelId = "msteams", string serviceUrl = ServiceUrl, string tenantId = TenantId) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = channelId,
        ServiceUrl = serviceUrl,
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo(tenantId) },
        Conversation = new ConversationAccount { Id = "a:1", TenantId = tenantId },
    };

    public static BotOptions OptionsFor(LocalBotIssuer issuer, string? tenantId = null) => new()
    {
        AppId = AppId,
        TenantId = tenantId,
        OpenIdMetadataUrl = issuer.MetadataUrl,
    };

    public static BotTokenValidator Validator(BotOptions options, HttpClient httpClient, TimeProvider timeProvider)
    {
        var wrapped = Options.Create(options);
        return new BotTokenValidator(new BotSigningKeys(httpClient, wrapped, timeProvider), wrapped, timeProvider);
    }

    public static string Bearer(string token) => "Bearer " + token;
}
