using System.Text.Json;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Bot.Reminders;

namespace Postmortems.Bot.Reminders;

/// <summary>
/// Sends one action reminder (outbox operation "reminder.send") to the owner's 1:1 chat. The action is read again
/// first: one finished, deleted, given to someone else or moved to another due date since the reminder was recorded
/// is skipped silently (a moved date starts its own series of reminders). Sent at most once (see
/// <see cref="IAtMostOnceOutboxHandler"/>): finding or creating the 1:1 chat may be repeated, posting the card is not.
/// </summary>
public sealed partial class ReminderSendHandler(
    PostmortemItemStore<ActionItem> actions,
    PostmortemRepository postmortems,
    PersonalChats chats,
    ConnectorClient connector,
    TimeProvider time,
    ILogger<ReminderSendHandler> logger) : IAtMostOnceOutboxHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Operation => ReminderScanner.SendOperation;

    public Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken) =>
        SendAsync(item, static _ => Task.CompletedTask, cancellationToken);

    public async Task<string?> SendAsync(OutboxItem item, Func<CancellationToken, Task> deliveryStarting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(deliveryStarting);
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
        var card = Replies.Card(ReminderCards.Reminder(action, postmortem.Title, today));
        await deliveryStarting(cancellationToken).ConfigureAwait(false);
        try
        {
            string? id = await connector.SendToConversationAsync(chat, card, atMostOnce: true, cancellationToken).ConfigureAwait(false);
            Core.Telemetry.ProductTelemetry.ReminderSent("action");
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

/// <summary>Sends the facilitator's weekly digest (outbox operation "reminder.digest") to their 1:1 chat, at most once.</summary>
public sealed class DigestSendHandler(PostmortemRepository postmortems, PersonalChats chats, ConnectorClient connector) : IAtMostOnceOutboxHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Operation => ReminderScanner.DigestOperation;

    public Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken) =>
        SendAsync(item, static _ => Task.CompletedTask, cancellationToken);

    public async Task<string?> SendAsync(OutboxItem item, Func<CancellationToken, Task> deliveryStarting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(deliveryStarting);
        var digest = JsonSerializer.Deserialize<FacilitatorDigest>(item.Payload, Json)
            ?? throw new InvalidDataException("The digest's payload is empty.");
        var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        var chat = await chats.FindOrCreateAsync(item.TenantId, digest.FacilitatorId, postmortem?.ConversationId, cancellationToken).ConfigureAwait(false);
        await deliveryStarting(cancellationToken).ConfigureAwait(false);
        try
        {
            string? id = await connector.SendToConversationAsync(chat, Replies.Card(ReminderCards.Digest(digest)), atMostOnce: true, cancellationToken).ConfigureAwait(false);
            Core.Telemetry.ProductTelemetry.ReminderSent("digest");
            return JsonSerializer.Serialize(new { conversationId = chat.ConversationId, activityId = id }, Json);
        }
        catch (ConnectorException ex)
        {
            throw PersonalChats.AsOutboxFailure(ex);
        }
    }
}
