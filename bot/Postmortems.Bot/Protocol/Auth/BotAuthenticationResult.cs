using System.Security.Claims;

namespace Postmortems.Bot.Protocol.Auth;

/// <summary>The outcome of checking an inbound request's token. <see cref="FailureReason"/> is for logs only, never for the caller.</summary>
public sealed record BotAuthenticationResult(bool IsValid, string? FailureReason, ClaimsIdentity? Identity)
{
    public static BotAuthenticationResult Success(ClaimsIdentity identity) => new(true, null, identity);

    public static BotAuthenticationResult Failure(string reason) => new(false, reason, null);
}
