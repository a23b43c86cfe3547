namespace Postmortems.Bot.Protocol;

/// <summary>
/// Where and how to reach a conversation later (replies, card updates, proactive messages). Built only from an
/// authenticated activity or read back from storage that was written from one, so its service URL is trusted.
/// </summary>
public sealed record ConversationReference(
    string ServiceUrl,
    string ConversationId,
    string TenantId,
    string BotId,
    string? BotName = null,
    string? ConversationType = null,
    string? UserId = null,
    string? UserAadObjectId = null,
    string? ChannelId = "msteams")
{
    /// <summary>The reference of the conversation an activity arrived in, with the bot as recipient.</summary>
    public static ConversationReference? FromActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.ServiceUrl is null || activity.Conversation?.Id is null || activity.TenantId is null || activity.Recipient?.Id is null)
        {
            return null;
        }

        return new ConversationReference(
            activity.ServiceUrl,
            activity.Conversation.Id,
            activity.TenantId,
            activity.Recipient.Id,
            activity.Recipient.Name,
            activity.Conversation.ConversationType,
            activity.From?.Id,
            activity.From?.AadObjectId,
            activity.ChannelId);
    }
}
