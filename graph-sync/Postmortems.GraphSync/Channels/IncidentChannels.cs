using System.Text.Json;
using Microsoft.Extensions.Options;
using Postmortems.Core;
using Postmortems.Core.Common;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Channels;

/// <summary>What the outbox keeps for an incident channel to be made.</summary>
public sealed record IncidentChannelRequest(string TeamId, string DisplayName, string Description, Uri? TabUrl);

/// <summary>The channel as made: the chat is told, and the welcome card is posted in it.</summary>
public sealed record IncidentChannelCreated(string TeamId, string ChannelId, string DisplayName, Uri? WebUrl, bool TabAdded);

/// <summary>
/// Incident channels ("yyyy-MM-dd-rca-&lt;slug&gt;") for postmortems started in a team: asked for from the chat,
/// created through the outbox like every other Graph write. One channel per postmortem.
/// </summary>
public sealed class IncidentChannels(IOptions<GraphOptions> graph, IOptions<PostmortemOptions> practice, OutboxStore outbox, OutboxSignal signal, TimeProvider time)
{
    public const string CreateOperation = "channel.create";

    /// <summary>Channels are made through Graph, so only when Graph is configured.</summary>
    public bool IsAvailable => graph.Value.IsConfigured;

    /// <summary>Records the request; returns the channel's name and whether it was asked for now (false: already asked).</summary>
    public async Task<(string DisplayName, bool Created)> RequestAsync(
        string tenantId, string postmortemId, string title, string teamId, string? conversationId, DateOnly today, CancellationToken cancellationToken)
    {
        string name = IncidentChannelNames.For(today, title);
        var request = new IncidentChannelRequest(teamId, name, $"The blameless postmortem of “{FormatTitle(title)}”.", practice.Value.TabUrlFor(postmortemId));
        var now = time.GetUtcNow();
        var (item, created) = await outbox.EnqueueAsync(
            new OutboxItem
            {
                Id = Ids.DerivedId($"{CreateOperation}|{tenantId}|{postmortemId}"),
                Operation = CreateOperation,
                TenantId = tenantId,
                PostmortemId = postmortemId,
                ConversationId = conversationId,
                Payload = JsonSerializer.Serialize(request, MeetingScheduler.Json),
                NextAttemptAt = now,
                CreatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        var asked = JsonSerializer.Deserialize<IncidentChannelRequest>(item.Payload, MeetingScheduler.Json);
        return (asked?.DisplayName ?? name, created);
    }

    // Channel descriptions are at most 1024 characters (Graph channel resource).
    private static string FormatTitle(string title) => title.Length <= 900 ? title : title[..900] + "…";
}

/// <summary>
/// Makes the channel and pins the postmortem tab in it. Safe to run again: a channel of that name that already
/// exists (made by an earlier try) is used instead of a second one.
/// </summary>
public sealed class IncidentChannelHandler(IIncidentChannelGateway gateway, IOptions<GraphOptions> graph) : IOutboxHandler
{
    public string Operation => IncidentChannels.CreateOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var request = JsonSerializer.Deserialize<IncidentChannelRequest>(item.Payload, MeetingScheduler.Json)
            ?? throw new ExternalCallException("The stored channel request could not be read.", isTransient: false);
        var channel = await gateway.CreateChannelAsync(request.TeamId, request.DisplayName, request.Description, cancellationToken).ConfigureAwait(false);
        bool tabAdded = false;
        if (request.TabUrl is { } tabUrl && !string.IsNullOrWhiteSpace(graph.Value.TeamsAppCatalogId))
        {
            await gateway.AddTabAsync(channel, new TabToAdd("Postmortem", item.PostmortemId, tabUrl, tabUrl), cancellationToken).ConfigureAwait(false);
            tabAdded = true;
        }

        return JsonSerializer.Serialize(new IncidentChannelCreated(channel.TeamId, channel.ChannelId, channel.DisplayName, channel.WebUrl, tabAdded), MeetingScheduler.Json);
    }
}
