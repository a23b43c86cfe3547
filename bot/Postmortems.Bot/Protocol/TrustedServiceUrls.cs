using System.Collections.Concurrent;

namespace Postmortems.Bot.Protocol;

/// <summary>
/// The service URLs the bot may send to (and attach its Connector token for): those that arrived in authenticated
/// activities (the signed "serviceurl" claim covers them) or in conversation references stored from such activities.
/// A URL from anywhere else never receives a request, so the bot's token cannot be sent to an attacker's host.
/// </summary>
public sealed class TrustedServiceUrls
{
    private readonly ConcurrentDictionary<string, byte> _trusted = new(StringComparer.OrdinalIgnoreCase);

    public void Trust(string serviceUrl)
    {
        if (Normalize(serviceUrl) is { } key)
        {
            _trusted.TryAdd(key, 0);
        }
    }

    public bool IsTrusted(string? serviceUrl) => Normalize(serviceUrl) is { } key && _trusted.ContainsKey(key);

    /// <summary>Scheme, host, port and path, with one trailing slash: "https://smba.trafficmanager.net/amer/".</summary>
    public static string? Normalize(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return null;
        }

        string path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        return $"{uri.Scheme}://{uri.Authority}{path}".ToLowerInvariant();
    }
}
