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
/// A stand-in for Microsoft Entra ID on a loopback port: OpenID metadata at <see cref="MetadataUrl"/>, a JWKS with one
/// RSA key generated at start (never leaving the process), and Teams SSO access tokens (v1 or v2) signed with it.
/// Point <c>Auth:MetadataAddress</c> at <see cref="MetadataUrl"/>. Tokens carry Entra's real issuers for their tid.
/// </summary>
public sealed class LocalEntraIssuer : IAsyncDisposable
{
    public const string KeyId = "local-entra-key-1";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private int _keysRequestCount;

    private LocalEntraIssuer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public Uri MetadataUrl => new(BaseUrl, "common/v2.0/.well-known/openid-configuration");

    public Uri KeysUrl => new(BaseUrl, "common/discovery/v2.0/keys");

    /// <summary>How many times the keys were fetched, to check they are cached.</summary>
    public int KeysRequestCount => Volatile.Read(ref _keysRequestCount);

    public static async Task<LocalEntraIssuer> StartAsync()
    {
        LocalEntraIssuer issuer = null!;
        var (_, root) = await LoopbackHost.StartAsync(app =>
        {
            issuer = new LocalEntraIssuer(app);
            app.MapGet("/common/v2.0/.well-known/openid-configuration", issuer.ServeMetadataAsync);
            app.MapGet("/common/discovery/v2.0/keys", issuer.ServeKeysAsync);
        });
        issuer.BaseUrl = root;
        return issuer;
    }

    /// <summary>A Teams SSO access token; the defaults make a valid v2 token for <paramref name="audience"/>.</summary>
    public string CreateToken(string audience, string tenantId, string objectId, string name = "Test User", Action<EntraTokenOptions>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var options = new EntraTokenOptions { NotBefore = now, Expires = now.AddHours(1) };
        configure?.Invoke(options);

        var header = new Dictionary<string, object?>
        {
            ["alg"] = options.Signing switch
            {
                TokenSigning.HmacWithPublicKey => "HS256",
                TokenSigning.None => "none",
                _ => "RS256",
            },
            ["typ"] = "JWT",
            ["kid"] = KeyId,
        };

        var payload = new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["iss"] = options.Issuer ?? (options.Version == 1 ? $"https://sts.windows.net/{tenantId}/" : $"https://login.microsoftonline.com/{tenantId}/v2.0"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["ver"] = options.Version == 1 ? "1.0" : "2.0",
            ["scp"] = options.Scope,
            ["azp"] = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
        };
        if (options.NotBefore is { } notBefore)
        {
            payload["nbf"] = notBefore.ToUnixTimeSeconds();
        }

        if (options.Expires is { } expires)
        {
            payload["exp"] = expires.ToUnixTimeSeconds();
        }

        if (tenantId.Length > 0)
        {
            payload["tid"] = tenantId;
        }

        if (objectId.Length > 0)
        {
            payload["oid"] = objectId;
        }

        payload["name"] = name;
        foreach (var (claim, value) in options.Claims)
        {
            payload[claim] = value;
        }

        string signedPart = Encode(header) + "." + Encode(payload);
        byte[] data = Encoding.ASCII.GetBytes(signedPart);
        byte[] signature = options.Signing switch
        {
            TokenSigning.PublishedKey => _key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            TokenSigning.UnpublishedKey => _otherKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            // Key confusion: HMAC keyed with the public key that anyone can read from the JWKS.
            TokenSigning.HmacWithPublicKey => HMACSHA256.HashData(Encoding.ASCII.GetBytes(_key.ExportSubjectPublicKeyInfoPem()), data),
            _ => [],
        };
        return signedPart + "." + Base64Url.EncodeToString(signature);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        _otherKey.Dispose();
    }

    private static string Encode(Dictionary<string, object?> json) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));

    // Like Entra's "common" metadata: the issuer is a template, the keys serve every tenant.
    private Task ServeMetadataAsync(HttpContext context) => context.Response.WriteAsJsonAsync(new Dictionary<string, object>
    {
        ["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0",
        ["jwks_uri"] = KeysUrl.AbsoluteUri,
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["token_endpoint"] = new Uri(BaseUrl, "common/oauth2/v2.0/token").AbsoluteUri,
    });

    private Task ServeKeysAsync(HttpContext context)
    {
        Interlocked.Increment(ref _keysRequestCount);
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["kid"] = KeyId,
                    ["n"] = Base64Url.EncodeToString(parameters.Modulus),
                    ["e"] = Base64Url.EncodeToString(parameters.Exponent),
                },
            },
        });
    }
}

/// <summary>What a test may change in an Entra token; the defaults make a valid v2 one.</summary>
public sealed class EntraTokenOptions
{
    /// <summary>1 (iss https://sts.windows.net/{tid}/) or 2 (iss https://login.microsoftonline.com/{tid}/v2.0).</summary>
    public int Version { get; set; } = 2;

    /// <summary>Overrides the issuer that <see cref="Version"/> picks.</summary>
    public string? Issuer { get; set; }

    /// <summary>Null leaves nbf out. Default: now.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>Null leaves exp out. Default: now + 1 hour.</summary>
    public DateTimeOffset? Expires { get; set; }

    public string Scope { get; set; } = "access_as_user";

    /// <summary>PublishedKey: genuine; UnpublishedKey: another key; HmacWithPublicKey: HS256 forgery; None: alg none.</summary>
    public TokenSigning Signing { get; set; } = TokenSigning.PublishedKey;

    /// <summary>Extra payload claims; they replace standard ones of the same name.</summary>
    public IDictionary<string, object?> Claims { get; } = new Dictionary<string, object?>();
}
