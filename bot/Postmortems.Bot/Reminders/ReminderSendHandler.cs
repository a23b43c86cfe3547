using System.Text.Json;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Outbox;
using Postmortems.GraphSync.Reminders;

namespace Postmortems.Bot.Reminders;

/// <summary>
/// Sends one action reminder (outbox operation "reminder.send") to the owner's 1:1 chat. The action is read again
/// first: one finished, deleted, given to someone else or moved to another due date since the reminder was recorded
/// is skipped silently (a moved date starts its own series of reminders).
/// </summary>
public sealed partial class ReminderSendHandler(
    PostmortemItemStore<ActionItem> actions,
    PostmortemRepository postmortems,
    PersonalChats chats,
    ConnectorClient connector,
    TimeProvider time,
    ILogger<ReminderSendHandler> logger) : IOutboxHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Operation => ReminderScanner.SendOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var reminder = JsonSerializer.Deserialize<ActionReminder>(item.Payload, Json)
            ?? throw new InvalidDataException("The reminder's payload is empty.");
        var action = await actions.GetAsync(item.TenantId, item.PostmortemId, reminder.ActionId, cancellationToken).ConfigureAwait(false);
        var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        if (action is null || postmortem is null
            || action.Status is not (ActionStatus.Open or ActionStatus.InProgress)
            || action.Owner?.ObjectId != reminder.OwnerId
            || action.DueDate != reminder.DueDate)
        {
            LogSkipped(logger, item.Id);
            return """{"skipped":true}""";
        }

        var chat = await chats.FindOrCreateAsync(item.TenantId, reminder.OwnerId, postmortem.ConversationId, cancellationToken).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(TimeZones.InZone(time.GetUtcNow(), reminder.TimeZone).DateTime);
        try
        {
            string? id = await connector.SendToConversationAsync(chat, Replies.Card(ReminderCards.Reminder(action, postmortem.Title, today)), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(new { conversationId = chat.ConversationId, activityId = id }, Json);
        }
        catch (ConnectorException ex)
        {
            throw PersonalChats.AsOutboxFailure(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {Id} skipped: the action is finished, gone, reassigned or moved")]
    private static partial void LogSkipped(ILogger logger, string id);
}

/// <summary>Sends the facilitator's weekly digest (outbox operation "reminder.digest") to their 1:1 chat.</summary>
public sealed class DigestSendHandler(PostmortemRepository postmortems, PersonalChats chats, ConnectorClient connector) : IOutboxHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Operation => ReminderScanner.DigestOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var digest = JsonSerializer.Deserialize<FacilitatorDigest>(item.Payload, Json)
            ?? throw new InvalidDataException("The digest's payload is empty.");
        var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        var chat = await chats.FindOrCreateAsync(item.TenantId, digest.FacilitatorId, postmortem?.ConversationId, cancellationToken).ConfigureAwait(false);
        try
        {
            string? id = await connector.SendToConversationAsync(chat, Replies.Card(ReminderCards.Digest(digest)), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(new { conversationId = chat.ConversationId, activityId = id }, Json);
        }
        catch (ConnectorException ex)
        {
            throw PersonalChats.AsOutboxFailure(ex);
        }
    }
}
