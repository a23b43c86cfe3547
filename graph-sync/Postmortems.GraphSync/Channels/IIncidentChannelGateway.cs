namespace Postmortems.GraphSync.Channels;

/// <summary>A channel made for one incident's review in a team, with the postmortem tab pinned in it.</summary>
public sealed record IncidentChannel(string TeamId, string ChannelId, string DisplayName, Uri? WebUrl);

/// <summary>The postmortem tab to pin in a channel (Graph teamsTab; the app must be installed in the team).</summary>
/// <param name="EntityId">What the tab shows: the postmortem id.</param>
public sealed record TabToAdd(string DisplayName, string EntityId, Uri ContentUrl, Uri? WebsiteUrl);

/// <summary>Creates incident channels through Microsoft Graph. Failures are <see cref="Core.Outbox.ExternalCallException"/>.</summary>
public interface IIncidentChannelGateway
{
    /// <summary>Creates a standard channel; a channel of that name that already exists is returned instead (a retried call).</summary>
    Task<IncidentChannel> CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken);

    Task AddTabAsync(IncidentChannel channel, TabToAdd tab, CancellationToken cancellationToken);
}
