using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Postmortems.Bot.Protocol.Auth;

/// <summary>
/// Checks the token on a request from the Bot Connector (channel path only: no Emulator or skill tokens), as in
/// bot-docs articles/rest-api/bot-framework-rest-connector-authentication.md and botbuilder-dotnet
/// JwtTokenExtractor.cs / ChannelValidation.cs / EndorsementsValidator.cs.
/// </summary>
public sealed class BotTokenValidator : IDisposable
{
    /// <summary>The claim that signs where replies go (lower case on the wire).</summary>
    public const string ServiceUrlClaim = "serviceurl";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly BotSigningKeys _signingKeys;
    private readonly BotOptions _options;
    private readonly TimeProvider _timeProvider;
    /// <summary>
    /// The longest a checked token is trusted without checking its signature again. The channel sends the same token
    /// with every activity for about an hour; checking it once saves an RSA verification per activity. The spec lets
    /// signing key list be refreshed only once a day (PROTOCOL.md B.1, item 7), so trusting a checked signature for
    /// minutes keeps no key alive longer than the spec already does.
    /// </summary>
    private static readonly TimeSpan CheckedTokenLifetime = TimeSpan.FromMinutes(10);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    // Only tokens whose signature, issuer, audience and lifetime passed are kept; a bad token is checked every time.
    private readonly MemoryCache _checked = new(new MemoryCacheOptions { SizeLimit = 1_000 });

    public BotTokenValidator(BotSigningKeys signingKeys, IOptions<BotOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(signingKeys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _signingKeys = signingKeys;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Whether <paramref name="authorizationHeader"/> proves that the Bot Framework sent <paramref name="activity"/>.
    /// Never throws for bad input; throws <see cref="InvalidOperationException"/> in local mode (no AppId), where the
    /// caller must not ask.
    /// </summary>
    public async Task<BotAuthenticationResult> ValidateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (_options.IsLocalMode)
        {
            throw new InvalidOperationException("Bot:AppId is not set: local mode has no tokens to validate.");
        }

        try
        {
            return await ValidateCoreAsync(authorizationHeader, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }

        // Whatever goes wrong inside a token check (bad input, key fetch) is a rejection, never an error page.
        catch (Exception ex)
        {
            return BotAuthenticationResult.Failure($"Token check failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<BotAuthenticationResult> ValidateCoreAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        // JwtTokenExtractor.cs: exactly "Bearer <token>", scheme compared case-sensitively.
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return BotAuthenticationResult.Failure("No Authorization header.");
        }

        string[] parts = authorizationHeader.Split(' ');
        if (parts.Length != 2 || parts[0] != "Bearer" || parts[1].Length == 0)
        {
            return BotAuthenticationResult.Failure("The Authorization header is not \"Bearer <token>\".");
        }

        string token = parts[1];
        var now = _timeProvider.GetUtcNow();
        if (!_checked.TryGetValue(token, out CheckedToken? checkedToken) || now >= checkedToken!.TrustedUntil)
        {
            var (fresh, failure) = await CheckTokenAsync(token, now, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return BotAuthenticationResult.Failure(failure!);
            }

            checkedToken = fresh;
            _checked.Set(token, fresh, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CheckedTokenLifetime });
        }

        // The checks that depend on the activity run for every activity, whether the token was checked before or not.
        // EndorsementsValidator.cs: the signing key must endorse the activity's channel; no endorsements, no channel.
        if (string.IsNullOrEmpty(activity.ChannelId) || !checkedToken.Endorsements.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            return BotAuthenticationResult.Failure($"Signing key \"{checkedToken.KeyId}\" does not endorse channel \"{activity.ChannelId}\".");
        }

        // ChannelValidation.cs: the signed serviceurl must be the activity's, so replies cannot be steered elsewhere.
        var identity = checkedToken.Identity.Clone();
        string? serviceUrl = identity.FindFirst(ServiceUrlClaim)?.Value;
        if (string.IsNullOrEmpty(serviceUrl))
        {
            return BotAuthenticationResult.Failure("The token has no serviceurl claim.");
        }

        if (!string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return BotAuthenticationResult.Failure($"The token's serviceurl \"{serviceUrl}\" is not the activity's \"{activity.ServiceUrl}\".");
        }

        // Channel tokens do not name the tenant, so a single-tenant bot checks the activity's own.
        if (!string.IsNullOrEmpty(_options.TenantId) && !string.Equals(activity.TenantId, _options.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return BotAuthenticationResult.Failure($"The activity's tenant \"{activity.TenantId}\" is not the bot's tenant.");
        }

        return BotAuthenticationResult.Success(identity);
    }

    /// <summary>The checks that depend on the token alone: issuer, published signing key, signature, audience, lifetime.</summary>
    private async Task<(CheckedToken? Token, string? Failure)> CheckTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            return (null, "The bearer token is not a readable JWT.");
        }

        // Unvalidated peek, as JwtTokenExtractor.cs does, so a token from another issuer cannot trigger a key refresh.
        var unvalidated = _handler.ReadJsonWebToken(token);
        if (unvalidated.Issuer != _options.TokenIssuer)
        {
            return (null, $"The token's issuer \"{unvalidated.Issuer}\" is not {_options.TokenIssuer}.");
        }

        // Endorsements belong to the key named by kid, so a token without one cannot be checked.
        if (string.IsNullOrEmpty(unvalidated.Kid))
        {
            return (null, "The token names no signing key (kid).");
        }

        var signingKey = await _signingKeys.FindAsync(unvalidated.Kid, cancellationToken).ConfigureAwait(false);
        if (signingKey is null)
        {
            return (null, $"The token's signing key \"{unvalidated.Kid}\" is not published.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = _options.TokenIssuer,
            ValidateAudience = true,
            ValidAudience = _options.AppId,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = signingKey.Key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = AllowedAlgorithms,
            // TokenValidationParameters.TimeProvider is internal in IdentityModel 8, so the clock is applied here.
            LifetimeValidator = ValidateLifetime,
        };

        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, $"The token is not valid: {result.Exception?.Message}");
        }

        // Trusted until it expires (with the same clock skew) or for CheckedTokenLifetime, whichever comes first.
        var expires = new DateTimeOffset(unvalidated.ValidTo, TimeSpan.Zero) + ClockSkew;
        var trustedUntil = expires < now + CheckedTokenLifetime ? expires : now + CheckedTokenLifetime;
        return (new CheckedToken(result.ClaimsIdentity, signingKey.KeyId, [.. signingKey.Endorsements], trustedUntil), null);
    }

    public void Dispose() => _checked.Dispose();

    private sealed record CheckedToken(ClaimsIdentity Identity, string KeyId, IReadOnlyList<string> Endorsements, DateTimeOffset TrustedUntil);

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is not { } expiresAt)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry (exp).");
        }

        if (notBefore is { } notBeforeAt && notBeforeAt > expiresAt)
        {
            throw new SecurityTokenInvalidLifetimeException($"The token's nbf {notBeforeAt:O} is after its exp {expiresAt:O}.");
        }

        if (notBefore is { } validFrom && now < validFrom - parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException($"The token is not valid before {validFrom:O}; now is {now:O}.") { NotBefore = validFrom };
        }

        if (now > expiresAt + parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException($"The token expired at {expiresAt:O}; now is {now:O}.") { Expires = expiresAt };
        }

        return true;
    }
}
