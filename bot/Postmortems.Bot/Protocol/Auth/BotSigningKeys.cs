using System.Collections.Frozen;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Postmortems.Bot.Protocol.Auth;

/// <summary>A key the Bot Framework signs channel tokens with, and the channels it may speak for.</summary>
public sealed record BotSigningKey(string KeyId, JsonWebKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// The Bot Framework's signing keys: OpenID metadata → <c>jwks_uri</c> → JWKS, with each key's <c>endorsements</c>
/// (bot-docs rest-api/bot-framework-rest-connector-authentication.md; botbuilder-dotnet EndorsementsRetriever.cs).
/// Thread-safe; meant to be a singleton.
/// </summary>
public sealed class BotSigningKeys
{
    public const string HttpClientName = "BotSigningKeys";

    /// <summary>The spec asks for a refresh at least daily.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(24);

    /// <summary>Unknown kids come from anyone on the internet, so they may not make us fetch more often than this.</summary>
    public static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>After a failed fetch, callers fail fast for this long instead of each trying again.</summary>
    public static readonly TimeSpan FailedFetchRetryDelay = TimeSpan.FromSeconds(10);

    private const int MaxDocumentBytes = 1024 * 1024;

    private readonly HttpClient _httpClient;
    private readonly Uri _metadataUrl;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _fetchLock = new(1, 1);

    private volatile KeySet? _keys;
    private long _lastUnknownKeyRefreshTicks; // UTC ticks, 0 = never; read outside the lock, so not a DateTimeOffset?.
    private DateTimeOffset? _lastFailure;
    private string? _lastFailureReason;

    public BotSigningKeys(HttpClient httpClient, IOptions<BotOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _httpClient = httpClient;
        _metadataUrl = options.Value.OpenIdMetadataUrl;
        _timeProvider = timeProvider;
        if (!IsAllowedUrl(_metadataUrl))
        {
            throw new InvalidOperationException($"Bot:OpenIdMetadataUrl must be https (http only on loopback): {_metadataUrl}");
        }
    }

    /// <summary>
    /// The key with this kid. An unknown kid forces one refresh (new keys may appear at any time), at most once per
    /// <see cref="UnknownKeyRefreshInterval"/>. Null when the kid is still unknown. Throws when no keys could be fetched.
    /// </summary>
    public async Task<BotSigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var keys = await GetKeysAsync(cancellationToken).ConfigureAwait(false);
        if (keys.ByKeyId.TryGetValue(keyId, out var key) || !MayRefreshForUnknownKey())
        {
            return key;
        }

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while we waited.
            var current = _keys ?? keys;
            if (current.ByKeyId.TryGetValue(keyId, out key) || !MayRefreshForUnknownKey())
            {
                return key;
            }

            Volatile.Write(ref _lastUnknownKeyRefreshTicks, _timeProvider.GetUtcNow().UtcTicks);
            current = await FetchLockedAsync(cancellationToken).ConfigureAwait(false);
            return current.ByKeyId.GetValueOrDefault(keyId);
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    /// <summary>The current keys, fetched first if there are none or they are older than <see cref="RefreshInterval"/>.</summary>
    public async Task<IReadOnlyCollection<BotSigningKey>> GetAllAsync(CancellationToken cancellationToken) =>
        (await GetKeysAsync(cancellationToken).ConfigureAwait(false)).ByKeyId.Values;

    private async Task<KeySet> GetKeysAsync(CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && !IsStale(keys))
        {
            return keys;
        }

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            keys = _keys;
            if (keys is not null && !IsStale(keys))
            {
                return keys;
            }

            if (_lastFailure is { } failedAt && _timeProvider.GetUtcNow() - failedAt < FailedFetchRetryDelay)
            {
                return keys ?? throw new HttpRequestException($"Bot signing keys are unavailable: {_lastFailureReason}");
            }

            return await FetchLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (keys is not null && ex is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            // Stale keys beat none while the endpoint is down; the next call after the retry delay tries again.
            return keys;
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private bool IsStale(KeySet keys) => _timeProvider.GetUtcNow() - keys.FetchedAt >= RefreshInterval;

    private bool MayRefreshForUnknownKey()
    {
        long last = Volatile.Read(ref _lastUnknownKeyRefreshTicks);
        return last == 0 || _timeProvider.GetUtcNow().UtcTicks - last >= UnknownKeyRefreshInterval.Ticks;
    }

    /// <summary>Caller holds <see cref="_fetchLock"/>. On failure the old keys stay in place.</summary>
    private async Task<KeySet> FetchLockedAsync(CancellationToken cancellationToken)
    {
        try
        {
            string jwksUri;
            using (var metadata = await GetJsonAsync(_metadataUrl, cancellationToken).ConfigureAwait(false))
            {
                jwksUri = metadata.RootElement.ValueKind == JsonValueKind.Object
                    && metadata.RootElement.TryGetProperty("jwks_uri", out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()!
                    : throw new InvalidDataException("The OpenID metadata has no jwks_uri.");
            }

            if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var jwksUrl) || !IsAllowedUrl(jwksUrl))
            {
                throw new InvalidDataException($"The OpenID metadata's jwks_uri is not an allowed URL: {jwksUri}");
            }

            using var jwks = await GetJsonAsync(jwksUrl, cancellationToken).ConfigureAwait(false);
            var keys = new KeySet(ParseKeys(jwks.RootElement), _timeProvider.GetUtcNow());
            _keys = keys;
            _lastFailure = null;
            return keys;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            _lastFailure = _timeProvider.GetUtcNow();
            _lastFailureReason = ex.Message;
            throw;
        }
    }

    private async Task<JsonDocument> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _httpClient.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        // Throws HttpRequestException past the limit, so a hostile or broken endpoint cannot exhaust memory.
        await response.Content.LoadIntoBufferAsync(MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(body);
    }

    private static FrozenDictionary<string, BotSigningKey> ParseKeys(JsonElement jwks)
    {
        if (jwks.ValueKind != JsonValueKind.Object || !jwks.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The JWKS has no keys array.");
        }

        var byKeyId = new Dictionary<string, BotSigningKey>(StringComparer.Ordinal);
        foreach (var element in keys.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(kid.GetString())
                || (element.TryGetProperty("use", out var use) && use.ValueKind == JsonValueKind.String && use.GetString() != "sig"))
            {
                continue;
            }

            JsonWebKey key;
            try
            {
                key = new JsonWebKey(element.GetRawText());
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException)
            {
                continue; // One unusable key must not hide the others.
            }

            // Endorsements are read here, not from JsonWebKey.AdditionalData, whose shape for arrays is not a contract.
            var endorsements = new List<string>();
            if (element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var endorsement in list.EnumerateArray())
                {
                    if (endorsement.ValueKind == JsonValueKind.String && endorsement.GetString() is { Length: > 0 } channel)
                    {
                        endorsements.Add(channel);
                    }
                }
            }

            byKeyId.TryAdd(kid.GetString()!, new BotSigningKey(kid.GetString()!, key, endorsements.AsReadOnly()));
        }

        return byKeyId.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool IsAllowedUrl(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));

    private sealed record KeySet(FrozenDictionary<string, BotSigningKey> ByKeyId, DateTimeOffset FetchedAt);
}
