using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Postmortems.Tabs.Auth;

/// <summary>
/// The development identity: the Agents Playground's user and tenant, so what someone does in the Playground shows in
/// the tab. Only for a request without a token, in Development, with no Auth:ClientId, from this machine and not
/// through a tunnel or proxy (those connect from loopback too, but carry forwarding headers or another host name).
/// </summary>
public static class LocalIdentity
{
    public const string TenantId = "00000000-0000-0000-0000-0000000000001";
    public const string UserId = "00000000-0000-0000-0000-0000000000020";
    public const string Name = "Alex Wilber";

    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-Host"];

    public static bool IsAllowed(HttpContext context, AuthOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment()
            && !options.IsConfigured
            && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && IsLoopbackHost(context.Request.Host.Host)
            && !ForwardingHeaders.Any(context.Request.Headers.ContainsKey);
    }

    public static ClaimsPrincipal CreatePrincipal(string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(TabCaller.TenantClaim, TenantId),
                new Claim(TabCaller.UserClaim, UserId),
                new Claim(TabCaller.NameClaim, Name),
            ],
            authenticationType,
            TabCaller.NameClaim,
            roleType: null));

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
