namespace Postmortems.Bot.Protocol;

/// <summary>
/// Settings under "Bot". Without <see cref="AppId"/> the bot runs in local mode: no tokens in or out, and only
/// loopback callers are served.
/// </summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>The Azure Bot's Microsoft App ID; inbound tokens must carry it as audience.</summary>
    public string? AppId { get; set; }

    /// <summary>A client secret for outbound tokens. Empty: a managed identity or federated credential is used.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The bot's Entra tenant for a single-tenant bot (the default for new bots); empty for multi-tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>Where the Bot Framework's signing keys are published. Overridable so tests run a local issuer.</summary>
    public Uri OpenIdMetadataUrl { get; set; } = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>The issuer of channel tokens.</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>The scope of outbound Connector tokens.</summary>
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    public bool IsLocalMode => string.IsNullOrWhiteSpace(AppId);
}
