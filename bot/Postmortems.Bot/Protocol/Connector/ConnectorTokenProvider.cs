using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace Postmortems.Bot.Protocol.Connector;

/// <summary>
/// The bearer token the bot sends to the Bot Connector (PROTOCOL.md C.1): client credentials for
/// <see cref="BotOptions.ConnectorScope"/> from one credential instance, cached and refreshed
/// <see cref="RefreshMargin"/> before it expires; concurrent callers share one acquisition. In local mode there is
/// no token (null) and requests go out without an Authorization header.
/// </summary>
public sealed class ConnectorTokenProvider : IDisposable
{
    /// <summary>How long before expiry a cached token is replaced (the Bot Framework SDK and MSAL use 5 minutes).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>The token tenant of multi-tenant bots (the SDK's DefaultChannelAuthTenant).</summary>
    public const string MultiTenantAuthority = "botframework.com";

    private readonly TokenCredential? _credential;
    private readonly TokenRequestContext _request;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _acquiring = new(1, 1);
    // A reference, so readers outside the semaphore never see a half-written token.
    private volatile CachedToken? _cached;

    public ConnectorTokenProvider(IOptions<BotOptions> options, TimeProvider time)
        : this(options, time, CreateCredential(options?.Value ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>Uses <paramref name="credential"/> instead of one built from the options (tests); null means no token.</summary>
    public ConnectorTokenProvider(IOptions<BotOptions> options, TimeProvider time, TokenCredential? credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _credential = options.Value.IsLocalMode ? null : credential;
        _request = new TokenRequestContext([options.Value.ConnectorScope]);
        _time = time;
    }

    /// <summary>
    /// The credential for the configured bot: a client secret when AppPassword is set (tenant = TenantId, or
    /// "botframework.com" for a multi-tenant bot); otherwise the user-assigned managed identity whose client id is
    /// the AppId (UserAssignedMSI bots). Null in local mode.
    /// </summary>
    public static TokenCredential? CreateCredential(BotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsLocalMode)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(options.AppPassword))
        {
            string tenant = string.IsNullOrWhiteSpace(options.TenantId) ? MultiTenantAuthority : options.TenantId;
            return new ClientSecretCredential(tenant, options.AppId, options.AppPassword);
        }

        return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.AppId!));
    }

    /// <summary>The current access token, or null in local mode.</summary>
    public async Task<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_credential is null)
        {
            return null;
        }

        if (Fresh(_cached) is { } token)
        {
            return token;
        }

        await _acquiring.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_cached) is { } acquiredMeanwhile)
            {
                return acquiredMeanwhile;
            }

            var acquired = await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
            _cached = new CachedToken(acquired.Token, acquired.ExpiresOn - RefreshMargin);
            return acquired.Token;
        }
        finally
        {
            _acquiring.Release();
        }
    }

    public void Dispose() => _acquiring.Dispose();

    private string? Fresh(CachedToken? cached) => cached is not null && cached.RefreshAt > _time.GetUtcNow() ? cached.Token : null;

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
}
