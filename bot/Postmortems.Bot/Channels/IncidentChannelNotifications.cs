using System.Text.Json;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Lifecycle;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Channels;
using Postmortems.Core.Outbox;

namespace Postmortems.Bot.Channels;

/// <summary>
/// When an incident channel exists: posts the postmortem's welcome card in it (a new thread, linked to the
/// postmortem so commands there act on it) and tells the chat it was asked from. When it could not be made, says why.
/// </summary>
public sealed partial class IncidentChannelNotifications(
    ConversationReferences references,
    ConversationStore conversations,
    PostmortemRepository postmortems,
    ConnectorClient connector,
    ILogger<IncidentChannelNotifications> logger) : IOutboxObserver
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Operation != IncidentChannels.CreateOperation || item.Result is null || item.ConversationId is null)
        {
            return;
        }

        var channel = JsonSerializer.Deserialize<IncidentChannelCreated>(item.Result, Json);
        var origin = await references.LoadAsync(item.TenantId, item.ConversationId, cancellationToken).ConfigureAwait(false);
        var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        if (channel is null || origin is null || postmortem is null)
        {
            LogNothingToPost(logger, item.Id);
            return;
        }

        var thread = await connector.CreateChannelThreadAsync(origin, channel.ChannelId, Replies.Card(PostmortemCards.Welcome(postmortem)), cancellationToken).ConfigureAwait(false);
        await conversations.LinkPostmortemAsync(item.TenantId, thread.ConversationId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        await RememberThreadAsync(item.TenantId, postmortem, thread.ConversationId, cancellationToken).ConfigureAwait(false);

        var ready = new AdaptiveCard
        {
            Body =
            [
                FormCards.Heading($"The incident channel {CardText.Literal(channel.DisplayName)} is ready"),
                new TextBlock(channel.TabAdded
                    ? "I posted the postmortem there and pinned its tab."
                    : "I posted the postmortem there. The postmortem tab can be pinned once the app's address and catalog id are set up."),
            ],
            Actions = channel.WebUrl is { } url ? [new OpenUrlAction("Open the channel", url)] : null,
            FallbackText = $"The incident channel {channel.DisplayName} is ready",
        };
        await connector.SendToConversationAsync(origin, Replies.Card(ready), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Operation != IncidentChannels.CreateOperation || item.ConversationId is null)
        {
            return;
        }

        var origin = await references.LoadAsync(item.TenantId, item.ConversationId, cancellationToken).ConfigureAwait(false);
        if (origin is not null)
        {
            await connector.SendToConversationAsync(origin, Replies.Text($"I'm sorry: I couldn't create the incident channel. {CardText.Plain(item.LastError)} The postmortem itself is fine and carries on here."), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the channel's thread on the postmortem, so publishing can post there too (a concurrent change is read again once).</summary>
    private async Task RememberThreadAsync(string tenantId, Postmortem postmortem, string threadId, CancellationToken cancellationToken)
    {
        var current = postmortem;
        for (int attempt = 0; attempt < 2 && current is not null; attempt++)
        {
            var result = await postmortems.UpdateAsync(tenantId, current with { IncidentChannelConversationId = threadId }, cancellationToken).ConfigureAwait(false);
            current = result.Status == Core.Storage.WriteStatus.Conflict ? result.Value : null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox item {Id}: the channel was made but there is nothing to post it to")]
    private static partial void LogNothingToPost(ILogger logger, string id);
}
