using System.Text.Json;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;

namespace Postmortems.Bot.Meetings;

/// <summary>Tells the chat what became of a confirmed invite: the links when it is out, or why it could not be sent.</summary>
public sealed partial class MeetingNotifications(
    ConversationReferences references,
    ConnectorClient connector,
    ILogger<MeetingNotifications> logger) : IOutboxObserver
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Operation != MeetingScheduler.SendOperation || item.Result is null)
        {
            return;
        }

        var sent = JsonSerializer.Deserialize<MeetingSent>(item.Result, Json);
        if (sent is not null)
        {
            await PostAsync(item, Replies.Card(MeetingCards.Sent(sent)), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        string? text = item.Operation switch
        {
            MeetingScheduler.SendOperation => $"I'm sorry: I couldn't send the meeting invite. {item.LastError} Nothing you entered is lost; type schedule (or followup) to try again.",
            MeetingScheduler.RefreshFollowUpOperation => $"I couldn't update the follow-up meeting's list of actions. {item.LastError}",
            _ => null,
        };
        if (text is not null)
        {
            await PostAsync(item, Replies.Text(text), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(OutboxItem item, Protocol.Activity activity, CancellationToken cancellationToken)
    {
        var conversation = item.ConversationId is null ? null : await references.LoadAsync(item.TenantId, item.ConversationId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            LogNoConversation(logger, item.Id);
            return;
        }

        await connector.SendToConversationAsync(conversation, activity, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id}: no conversation to tell")]
    private static partial void LogNoConversation(ILogger logger, string id);
}
