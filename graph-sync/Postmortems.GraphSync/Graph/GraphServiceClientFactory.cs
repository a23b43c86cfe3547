using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace Postmortems.GraphSync.Graph;

/// <summary>
/// Builds the <see cref="GraphServiceClient"/> the gateways use, from <see cref="GraphOptions"/>.
/// The Graph SDK's own retry handler is left out: failed calls are retried by the durable outbox, which must see every
/// failure (and the Retry-After Graph asked for) instead of waiting inside a request.
/// <para>
/// No Polly pipeline either (unlike the Bot Connector's HttpClient, see the bot's ConnectorResilience): a retry inside
/// the request would double the outbox's durable retries (events are idempotent by transactionId, but every retry
/// spends the caller's attempt time and hides the Retry-After from the outbox's schedule), and the one call made while
/// a person waits (the calendar read for a proposed time) has its own 6 s budget and a fallback answer. The timeout is
/// the HttpClient's, which <see cref="GraphFailures"/> reads as a transient failure.
/// </para>
/// </summary>
public static class GraphServiceClientFactory
{
    /// <summary>How long one Graph request may take before it counts as a (transient) failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const string GraphScope = "https://graph.microsoft.com/.default";

    /// <param name="options">The Graph settings: credentials and <see cref="GraphOptions.BaseUrl"/>.</param>
    /// <param name="credential">Replaces the credential built from <paramref name="options"/> (tests).</param>
    /// <param name="timeout">Replaces <see cref="DefaultTimeout"/> (tests use a short one).</param>
    public static GraphServiceClient Create(GraphOptions options, TokenCredential? credential = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handlers = Microsoft.Graph.GraphClientFactory.CreateDefaultHandlers();
        foreach (var retry in handlers.OfType<RetryHandler>().ToList())
        {
            handlers.Remove(retry);
            retry.Dispose();
        }

#pragma warning disable CA2000 // The HttpClient lives as long as the GraphServiceClient that uses it (a singleton).
        var httpClient = Microsoft.Graph.GraphClientFactory.Create(handlers, version: "v1.0", nationalCloud: Microsoft.Graph.GraphClientFactory.Global_Cloud, proxy: null, finalHandler: null, disposeHandler: true);
#pragma warning restore CA2000
        httpClient.Timeout = timeout ?? DefaultTimeout;

        var baseUrl = options.BaseUrl.ToString().TrimEnd('/');
        if (options.BaseUrl.IsLoopback && credential is null)
        {
            // A local stand-in for Graph (tests, the end-to-end run): no token is fetched, so nothing leaves the
            // machine, as the Graph SDK itself never sends a token to a host outside its allowed list.
            return new GraphServiceClient(httpClient, new Microsoft.Kiota.Abstractions.Authentication.AnonymousAuthenticationProvider(), baseUrl);
        }

        // A token is attached only for hosts on this list (Kiota AllowedHostsValidator), so the base URL's host must be
        // on it. On loopback (tests) the scope stays Graph's; a test credential ignores it anyway.
        string scope = options.BaseUrl.IsLoopback ? GraphScope : $"https://{options.BaseUrl.Host}/.default";
        var authentication = new AzureIdentityAuthenticationProvider(
            credential ?? CreateCredential(options), [options.BaseUrl.Host], observabilityOptions: null, isCaeEnabled: true, scopes: [scope]);
        return new GraphServiceClient(httpClient, authentication, baseUrl);
    }

    /// <summary>A client secret when one is configured, else a managed identity (user-assigned when ClientId is set).</summary>
    public static TokenCredential CreateCredential(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            if (string.IsNullOrWhiteSpace(options.TenantId) || string.IsNullOrWhiteSpace(options.ClientId))
            {
                throw new InvalidOperationException("Graph:ClientSecret needs Graph:TenantId and Graph:ClientId (the app registration's client id).");
            }

            return new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
        }

        return string.IsNullOrWhiteSpace(options.ClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
    }
}
