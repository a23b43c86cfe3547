namespace Postmortems.Bot.Protocol.Connector;

/// <summary>A member of a conversation or team roster (Teams' TeamsChannelAccount).</summary>
/// <param name="Id">The bot-scoped user id, "29:…".</param>
/// <param name="AadObjectId">The user's Microsoft Entra object id (roster JSON "objectId").</param>
public sealed record ConversationMember(
    string Id,
    string? AadObjectId,
    string? Name,
    string? Email,
    string? UserPrincipalName,
    string? TenantId);
