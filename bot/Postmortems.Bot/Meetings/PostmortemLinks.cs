using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Meetings;

/// <summary>Links that open a postmortem's conversation in Teams (Teams deep links, "Deep link to navigate to a chat").</summary>
public static class PostmortemLinks
{
    /// <summary>
    /// The chat: https://teams.microsoft.com/l/chat/&lt;chatId&gt;/conversations. A channel thread's conversation id is
    /// "&lt;channelId&gt;;messageid=&lt;id&gt;", which opens as the message: /l/message/&lt;channelId&gt;/&lt;messageId&gt;.
    /// </summary>
    public static Uri? ForConversation(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string? id = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(id) || !id.StartsWith("19:", StringComparison.Ordinal))
        {
            return null;
        }

        string tenant = Uri.EscapeDataString(activity.TenantId ?? string.Empty);
        int thread = id.IndexOf(";messageid=", StringComparison.Ordinal);
        return thread > 0
            ? new Uri($"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(id[..thread])}/{Uri.EscapeDataString(id[(thread + 11)..])}?tenantId={tenant}")
            : new Uri($"https://teams.microsoft.com/l/chat/{Uri.EscapeDataString(id)}/conversations?tenantId={tenant}");
    }
}
