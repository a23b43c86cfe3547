using Microsoft.Extensions.Options;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// Handles one authenticated activity: remembers its conversation, answers messages through the Connector, and
/// answers invokes in the HTTP response. Unknown activity types are accepted and ignored (Teams adds new ones).
/// </summary>
public sealed partial class ActivityDispatcher(
    CommandRouter commands,
    InvokeRouter invokes,
    ConversationReferences references,
    RecentActivities recent,
    ConnectorClient connector,
    IOptions<StorageOptions> storage,
    ILogger<ActivityDispatcher> logger)
{
    /// <summary>
    /// The invoke response for an invoke; null for every other activity (answered 200 with no body).
    /// <para>
    /// All storage work of the activity shares one deadline (<see cref="StorageOptions.RequestDeadlineSeconds"/>, well
    /// under Teams' 15 s): when storage hangs, the answer is "not saved, try again" in time, not a timeout in Teams.
    /// Once something the user asked for is saved, a later failure (an index, a follower, a read for the reply card,
    /// building the card) is logged and the answer still says it was saved.
    /// </para>
    /// </summary>
    public async Task<InvokeResponse?> HandleAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        using var request = StorageRequest.Start(storage.Value.RequestDeadline, cancellationToken);
        await references.RememberAsync(activity, tenantId, request.Token).ConfigureAwait(false);

        switch (activity.Type)
        {
            case ActivityTypes.Invoke:
                return await AnswerInvokeAsync(activity, tenantId, request, cancellationToken).ConfigureAwait(false);

            case ActivityTypes.Message when recent.IsFirstDelivery(activity.Conversation!.Id!, activity.Id):
                IReadOnlyList<Activity> replies;
                try
                {
                    replies = await commands.RouteAsync(activity, tenantId, request.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (request.SavedSomething && !cancellationToken.IsCancellationRequested)
                {
                    LogFailedAfterSave(logger, ex, activity.Conversation.Id!);
                    replies = [Replies.Text(SavedButText)];
                }
                catch (Exception ex) when (ex is StorageUnavailableException || StorageRequest.IsDeadline(ex))
                {
                    LogStorageUnavailable(logger, ex, activity.Conversation.Id!);
                    replies = [Replies.Text(StorageDownText)];
                }

                // The reply is not storage work: it goes out even when the storage deadline has passed.
                await SendAsync(activity, replies, cancellationToken).ConfigureAwait(false);
                return null;

            case ActivityTypes.ConversationUpdate when BotWasAdded(activity) && recent.IsFirstDelivery(activity.Conversation!.Id!, activity.Id):
                var welcome = HelpCard.Build(commands.Commands, "Hi! I help your team run blameless postmortems: we look at what happened and what people knew at the time, not at who to blame.", HelpCard.BotNameOf(activity));
                await SendAsync(activity, [Replies.Card(welcome)], cancellationToken).ConfigureAwait(false);
                return null;

            case ActivityTypes.InstallationUpdate when activity.Action is "remove" or "remove-upgrade":
                await references.ForgetAsync(tenantId, activity.Conversation!.Id!, request.Token).ConfigureAwait(false);
                return null;

            default:
                return null;
        }
    }

    public const string StorageDownText = "Sorry, I can't reach my storage right now, so nothing was saved. Please try again in a minute.";

    public const string SavedButText = "Saved. I couldn't finish everything after that just now, so some lists may catch up in a minute.";

    public const string StorageDownInvokeText = "Your change was not saved: storage is not reachable right now. Please try again in a minute.";

    private async Task<InvokeResponse> AnswerInvokeAsync(Activity activity, string tenantId, StorageRequest request, CancellationToken aborted)
    {
        try
        {
            return await invokes.HandleAsync(activity, tenantId, request.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (request.SavedSomething && !aborted.IsCancellationRequested)
        {
            // The card stays as it was; pressing it again is harmless (the save is idempotent and answers "saved").
            LogFailedAfterSave(logger, ex, activity.Conversation!.Id!);
            return InvokeResponse.Message(SavedButText);
        }
        catch (Exception ex) when (ex is StorageUnavailableException || StorageRequest.IsDeadline(ex))
        {
            LogStorageUnavailable(logger, ex, activity.Conversation!.Id!);
            return InvokeResponse.ActionError(503, "ServiceUnavailable", StorageDownInvokeText);
        }
    }

    private static bool BotWasAdded(Activity activity) =>
        activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true;

    private async Task SendAsync(Activity inbound, IReadOnlyList<Activity> replies, CancellationToken cancellationToken)
    {
        var conversation = ConversationReference.FromActivity(inbound)!;
        foreach (var reply in replies)
        {
            try
            {
                // A reply to the inbound activity keeps the answer in the same thread of a channel.
                _ = inbound.Id is { Length: > 0 } id
                    ? await connector.WhileTeamsWaits().ReplyToActivityAsync(conversation, id, reply, cancellationToken).ConfigureAwait(false)
                    : await connector.WhileTeamsWaits().SendToConversationAsync(conversation, reply, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectorException or UntrustedServiceUrlException or HttpRequestException)
            {
                // The inbound request was handled; answering it with 5xx would only make the channel redeliver it.
                LogReplyFailed(logger, ex, conversation.ConversationId);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable while answering a message in {ConversationId}")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saved in {ConversationId}, but what came after the save failed; the user was told it was saved")]
    private static partial void LogFailedAfterSave(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send the reply to conversation {ConversationId}")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, string conversationId);
}
