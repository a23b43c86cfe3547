namespace Postmortems.GraphSync.Channels;

/// <summary>One message of a channel as Graph lists it (chatMessage), its text still as sent (untrusted HTML or text).</summary>
public sealed record ChannelMessage(string Id, DateTimeOffset CreatedAt, string? SenderName, bool SentByApplication, string? Body, bool BodyIsHtml, Uri? WebUrl);

/// <summary>
/// Reads a team channel's messages through Microsoft Graph (resource-specific consent ChannelMessage.Read.Group). Failures
/// are <see cref="Core.Outbox.ExternalCallException"/>, with Graph's Retry-After when it asked to slow down.
/// </summary>
public interface IChannelMessageReader
{
    /// <summary>False without Graph (local mode): nothing can be read.</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// The people's and tools' messages (thread roots) posted between <paramref name="from"/> and <paramref name="to"/>,
    /// oldest first, at most <paramref name="max"/>. <paramref name="teamGroupId"/> is the team's Entra group id
    /// (channelData.team.aadGroupId), not its "19:…" thread id.
    /// </summary>
    Task<IReadOnlyList<ChannelMessage>> ReadAsync(string teamGroupId, string channelId, DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken);
}
