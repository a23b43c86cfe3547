using Microsoft.Graph;
using Microsoft.Graph.Models;
using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Channels;

namespace Postmortems.GraphSync.Graph;

/// <summary>
/// GET /teams/{group}/channels/{channel}/messages, page by page (@odata.nextLink). The app's Graph client has no retry
/// handler (the outbox retries writes), and a person is waiting here, so a 429 or 503 is retried in this call only while
/// Graph's Retry-After fits in <see cref="RetryBudget"/>; beyond that the caller says when to try again.
/// </summary>
public sealed class GraphChannelMessageReader(GraphServiceClient graph, GraphOptions options, TimeProvider time) : IChannelMessageReader
{
    /// <summary>Graph's largest page for channel messages.</summary>
    public const int PageSize = 50;

    /// <summary>The most pages read for one window, so a very busy channel cannot hold a card past Teams' time limit.</summary>
    public const int MaxPages = 20;

    /// <summary>How long in total one read may wait for Graph's Retry-After (Teams waits 15 s for the whole answer).</summary>
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(6);

    private static readonly GraphCallContext ReadMessages = new(
        "The app isn't allowed to read this channel's messages. A team owner grants it when adding the app (ChannelMessage.Read.Group), or an admin grants ChannelMessage.Read.All.",
        "The team or channel wasn't found. Check the app is installed in the team.");

    public bool IsAvailable => options.IsConfigured;

    public async Task<IReadOnlyList<ChannelMessage>> ReadAsync(string teamGroupId, string channelId, DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamGroupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        var found = new List<ChannelMessage>();
        var waited = TimeSpan.Zero;
        string? next = null;
        for (int page = 0; page < MaxPages; page++)
        {
            var request = graph.Teams[teamGroupId].Channels[channelId].Messages;
            ChatMessageCollectionResponse? response = null;
            while (response is null)
            {
                try
                {
                    response = await GraphFailures.CallAsync(
                        () => next is null
                            ? request.GetAsync(r => r.QueryParameters.Top = PageSize, cancellationToken)
                            : request.WithUrl(next).GetAsync(cancellationToken: cancellationToken),
                        ReadMessages,
                        time,
                        cancellationToken).ConfigureAwait(false) ?? new ChatMessageCollectionResponse();
                }
                catch (ExternalCallException busy) when (busy.IsTransient && busy.RetryAfter is { } wait && waited + wait <= RetryBudget)
                {
                    waited += wait;
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }

            found.AddRange((response.Value ?? []).Select(Read).OfType<ChannelMessage>().Where(m => m.CreatedAt >= from && m.CreatedAt <= to));
            next = response.OdataNextLink;
            if (next is null)
            {
                break;
            }
        }

        return [.. found.DistinctBy(m => m.Id).OrderBy(m => m.CreatedAt).Take(max)];
    }

    /// <summary>A person's or a tool's message; system events (no sender, messageType other than message) and deleted ones are left out.</summary>
    private static ChannelMessage? Read(ChatMessage message)
    {
        if (message.Id is null || message.CreatedDateTime is not { } created || message.DeletedDateTime is not null
            || message.MessageType is not (null or ChatMessageType.Message))
        {
            return null;
        }

        var user = message.From?.User;
        var application = message.From?.Application;
        if (user is null && application is null)
        {
            return null;
        }

        return new ChannelMessage(
            message.Id,
            created,
            user?.DisplayName ?? application?.DisplayName,
            user is null,
            message.Body?.Content,
            message.Body?.ContentType != BodyType.Text,
            Uri.TryCreate(message.WebUrl, UriKind.Absolute, out var web) ? web : null);
    }
}
