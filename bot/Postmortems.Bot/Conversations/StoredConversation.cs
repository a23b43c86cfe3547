namespace Postmortems.Bot.Conversations;

/// <summary>
/// What the bot needs to reach a Teams conversation later (replies, card updates, proactive messages), stored from
/// the newest authenticated activity of that conversation.
/// </summary>
public sealed record StoredConversation
{
    public required string ConversationId { get; init; }

    /// <summary>The Bot Connector base URL of the conversation's region. Always the newest one seen.</summary>
    public required string ServiceUrl { get; init; }

    public required string BotId { get; init; }

    public string? BotName { get; init; }

    /// <summary>personal, groupChat or channel.</summary>
    public string? ConversationType { get; init; }

    public string? ChannelId { get; init; }

    /// <summary>For a personal (1:1) conversation: the user's Entra object id.</summary>
    public string? UserAadObjectId { get; init; }

    /// <summary>For a personal conversation: the user's bot-scoped id ("29:…").</summary>
    public string? UserId { get; init; }

    public string? TeamId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// When the activity this reference came from was sent (its timestamp; when it has none, when it arrived). What
    /// "newest" means: a reference is replaced only by one seen at the same time or later, so an older activity that
    /// arrives last does not overwrite a newer reference.
    /// </summary>
    public DateTimeOffset SeenAt { get; init; }

    public string? ETag { get; init; }
}
