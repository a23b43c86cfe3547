using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.Testing;

/// <summary>
/// A stand-in for the Bot Framework's token issuer on a loopback port: OpenID metadata at <see cref="MetadataUrl"/>,
/// a JWKS whose RSA keys carry <c>endorsements</c> (generated at start, never leaving the process), and channel
/// tokens signed with those keys. Point <c>Bot:OpenIdMetadataUrl</c> at <see cref="MetadataUrl"/>.
/// </summary>
public sealed class LocalBotIssuer : IAsyncDisposable
{
    /// <summary>The issuer of real channel tokens, which tokens from here carry by default.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The key published at start, endorsing "msteams"; tokens are signed with it by default.</summary>
    public const string DefaultKeyId = "local-bot-key-1";

    private readonly WebApplication _app;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly List<PublishedKey> _keys = [];
    private readonly RSA _unpublishedKey = RSA.Create(2048);
    private int _metadataRequestCount;
    private int _keysRequestCount;

    private LocalBotIssuer(WebApplication app, TimeProvider timeProvider)
    {
        _app = app;
        _timeProvider = timeProvider;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>GET answers <c>{ issuer, jwks_uri }</c>.</summary>
    public Uri MetadataUrl => new(BaseUrl, ".well-known/openidconfiguration");

    /// <summary>GET answers <c>{ keys: [ { kty, use, kid, n, e, endorsements } ] }</c>.</summary>
    public Uri KeysUrl => new(BaseUrl, "keys");

    /// <summary>How many times the metadata document was fetched, to check a client's caching.</summary>
    public int MetadataRequestCount => Volatile.Read(ref _metadataRequestCount);

    public int KeysRequestCount => Volatile.Read(ref _keysRequestCount);

    /// <summary>While true, both documents answer 503, as during an outage.</summary>
    public bool IsUnavailable { get; set; }

    /// <param name="timeProvider">The clock for token times; the system clock by default.</param>
    public static async Task<LocalBotIssuer> StartAsync(TimeProvider? timeProvider = null)
    {
        LocalBotIssuer issuer = null!;
        var (_, root) = await LoopbackHost.StartAsync(app =>
        {
            issuer = new LocalBotIssuer(app, timeProvider ?? TimeProvider.System);
            issuer.AddKey(DefaultKeyId, ["msteams"]);
            app.MapGet("/.well-known/openidconfiguration", issuer.ServeMetadataAsync);
            app.MapGet("/keys", issuer.ServeKeysAsync);
        });
        issuer.BaseUrl = root;
        return issuer;
    }

    /// <summary>Generates an RSA key and publishes it. Null <paramref name="endorsements"/> leaves the property out.</summary>
    public void AddKey(string kid, string[]? endorsements)
    {
        ArgumentException.ThrowIfNullOrEmpty(kid);
        lock (_lock)
        {
            if (_keys.Any(k => k.Kid == kid))
            {
                throw new InvalidOperationException($"Key {kid} is already published.");
            }

            _keys.Add(new PublishedKey(kid, RSA.Create(2048), endorsements?.ToArray()));
        }
    }

    /// <summary>Stops publishing a key (its tokens then fail), as after a rotation.</summary>
    public void RemoveKey(string kid)
    {
        lock (_lock)
        {
            var key = _keys.Single(k => k.Kid == kid);
            _keys.Remove(key);
            key.Rsa.Dispose();
        }
    }

    /// <summary>A channel token as the Bot Connector sends it: aud, iss, nbf, exp, serviceurl; RS256 by default.</summary>
    public string CreateToken(string audience, string serviceUrl, Action<TokenOptions>? configure = null)
    {
        var now = _timeProvider.GetUtcNow();
        var options = new TokenOptions { NotBefore = now, Expires = now.AddHours(1) };
        configure?.Invoke(options);

        var header = new Dictionary<string, object?>
        {
            ["alg"] = options.Signing switch
            {
                TokenSigning.HmacWithPublicKey => "HS256",
                TokenSigning.None => "none",
                _ => options.Algorithm,
            },
            ["typ"] = "JWT",
        };
        string headerKid = options.HeaderKeyId ?? options.KeyId;
        if (headerKid.Length > 0)
        {
            header["kid"] = headerKid;
        }

        var payload = new Dictionary<string, object?>();
        if (!options.OmitServiceUrl)
        {
            payload["serviceurl"] = serviceUrl;
        }

        if (options.NotBefore is { } notBefore)
        {
            payload["nbf"] = notBefore.ToUnixTimeSeconds();
        }

        if (options.Expires is { } expires)
        {
            payload["exp"] = expires.ToUnixTimeSeconds();
        }

        payload["iss"] = options.Issuer;
        payload["aud"] = audience;
        foreach (var (name, value) in options.Claims)
        {
            payload[name] = value;
        }

        string signedPart = Encode(header) + "." + Encode(payload);
        byte[] data = Encoding.ASCII.GetBytes(signedPart);
        byte[] signature = options.Signing switch
        {
            TokenSigning.PublishedKey => Key(options.KeyId).Rsa.SignData(data, HashFor(options.Algorithm), RSASignaturePadding.Pkcs1),
            TokenSigning.UnpublishedKey => _unpublishedKey.SignData(data, HashFor(options.Algorithm), RSASignaturePadding.Pkcs1),
            // The classic key-confusion forgery: HMAC keyed with the public key, which anyone can read from the JWKS.
            TokenSigning.HmacWithPublicKey => HMACSHA256.HashData(Encoding.ASCII.GetBytes(Key(options.KeyId).Rsa.ExportSubjectPublicKeyInfoPem()), data),
            _ => [],
        };
        return signedPart + "." + Base64Url.EncodeToString(signature);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_lock)
        {
            foreach (var key in _keys)
            {
                key.Rsa.Dispose();
            }

            _keys.Clear();
        }

        _unpublishedKey.Dispose();
    }

    private PublishedKey Key(string kid)
    {
        lock (_lock)
        {
            return _keys.SingleOrDefault(k => k.Kid == kid) ?? throw new InvalidOperationException($"Key {kid} is not published.");
        }
    }

    private static HashAlgorithmName HashFor(string algorithm) => algorithm switch
    {
        "RS256" => HashAlgorithmName.SHA256,
        "RS384" => HashAlgorithmName.SHA384,
        "RS512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"Unsupported algorithm {algorithm}.", nameof(algorithm)),
    };

    private static string Encode(Dictionary<string, object?> json) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));

    private Task ServeMetadataAsync(HttpContext context)
    {
        Interlocked.Increment(ref _metadataRequestCount);
        return IsUnavailable
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context)
            : context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["issuer"] = BotFrameworkIssuer,
                ["jwks_uri"] = KeysUrl.AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
    }

    private Task ServeKeysAsync(HttpContext context)
    {
        Interlocked.Increment(ref _keysRequestCount);
        if (IsUnavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
        }

        List<Dictionary<string, object>> keys;
        lock (_lock)
        {
            keys = _keys.Select(key =>
            {
                var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                var jwk = new Dictionary<string, object>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = key.Kid,
                    ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                    ["e"] = Base64Url.EncodeToString(parameters.Exponent),
                };
                if (key.Endorsements is not null)
                {
                    jwk["endorsements"] = key.Endorsements;
                }

                return jwk;
            }).ToList();
        }

        return context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["keys"] = keys });
    }

    private sealed record PublishedKey(string Kid, RSA Rsa, string[]? Endorsements);
}

/// <summary>How <see cref="LocalBotIssuer.CreateToken"/> signs a token.</summary>
public enum TokenSigning
{
    /// <summary>With the published key named by <see cref="TokenOptions.KeyId"/>: a genuine token.</summary>
    PublishedKey,

    /// <summary>With a key the issuer never publishes, under the header kid: a forged signature.</summary>
    UnpublishedKey,

    /// <summary>HS256 keyed with the published key's public PEM.</summary>
    HmacWithPublicKey,

    /// <summary><c>"alg": "none"</c> and an empty signature.</summary>
    None,
}

/// <summary>What a test may change in a token; the defaults make a valid one.</summary>
public sealed class TokenOptions
{
    public string Issuer { get; set; } = LocalBotIssuer.BotFrameworkIssuer;

    /// <summary>Null leaves nbf out. Default: now.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>Null leaves exp out. Default: now + 1 hour.</summary>
    public DateTimeOffset? Expires { get; set; }

    /// <summary>The published key that signs; also the header kid unless <see cref="HeaderKeyId"/> is set.</summary>
    public string KeyId { get; set; } = LocalBotIssuer.DefaultKeyId;

    /// <summary>Overrides the header kid without changing the signing key; "" leaves kid out.</summary>
    public string? HeaderKeyId { get; set; }

    public TokenSigning Signing { get; set; } = TokenSigning.PublishedKey;

    /// <summary>RS256, RS384 or RS512, for the RSA signings.</summary>
    public string Algorithm { get; set; } = "RS256";

    public bool OmitServiceUrl { get; set; }

    /// <summary>Extra payload claims; they replace standard ones of the same name.</summary>
    public IDictionary<string, object?> Claims { get; } = new Dictionary<string, object?>();
}
