using Postmortems.Core.Outbox;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Postmortems.GraphSync.Channels;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Graph;

/// <summary>
/// Incident channels through Microsoft Graph with application permissions (Channel.Create, TeamsTab.Create).
/// Every failure is a <see cref="ExternalCallException"/>.
/// </summary>
public sealed class GraphIncidentChannelGateway : IIncidentChannelGateway
{
    private static readonly GraphCallContext CreateChannel = new(
        "The app isn't allowed to create channels in this team. An admin needs to grant Channel.Create.",
        "The team wasn't found. Check the team still exists and the app is installed in it.");

    private static readonly GraphCallContext ReadChannels = new(
        "The app isn't allowed to list this team's channels. An admin needs to grant Channel.ReadBasic.All.",
        "The team wasn't found. Check the team still exists and the app is installed in it.");

    private static readonly GraphCallContext CreateTab = new(
        "The app isn't allowed to add tabs. An admin needs to grant TeamsTab.Create.",
        "The channel or the app wasn't found. Check the app is installed in the team and Graph:TeamsAppCatalogId is its catalog id.");

    private readonly GraphServiceClient _graph;
    private readonly GraphOptions _options;
    private readonly TimeProvider _time;

    public GraphIncidentChannelGateway(GraphServiceClient graph, GraphOptions options, TimeProvider? time = null)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
    }

    public async Task<IncidentChannel> CreateChannelAsync(string teamId, string displayName, string description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        var channel = new Channel { DisplayName = displayName, Description = description, MembershipType = ChannelMembershipType.Standard };
        Channel? created;
        try
        {
            created = await _graph.Teams[teamId].Channels.PostAsync(channel, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error) when (IsNameTaken(error))
        {
            // A retried call whose first attempt made the channel: return that one.
            return await FindByNameAsync(teamId, displayName, cancellationToken).ConfigureAwait(false)
                ?? throw new ExternalCallException(
                    $"A channel named \"{displayName}\" already exists or was deleted recently (Teams keeps deleted channel names for a while). Restore it or pick another name.",
                    isTransient: false,
                    status: 400,
                    innerException: error);
        }
        catch (Exception error) when (error is not ExternalCallException && !(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw GraphFailures.Translate(error, CreateChannel, _time);
        }

        return ToIncidentChannel(teamId, created)
            ?? throw new ExternalCallException("Microsoft Graph answered without the channel it made. It will be tried again.", isTransient: true);
    }

    public async Task AddTabAsync(IncidentChannel channel, TabToAdd tab, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(tab);
        if (string.IsNullOrWhiteSpace(_options.TeamsAppCatalogId))
        {
            throw new ExternalCallException(
                "The postmortem tab needs Graph:TeamsAppCatalogId (the app's id in the Teams app catalog). An admin needs to set it.",
                isTransient: false);
        }

        // Graph teamsTab: the app is bound by its catalog id (not the manifest id), under the same Graph endpoint.
        string appBinding = $"{_options.BaseUrl.ToString().TrimEnd('/')}/appCatalogs/teamsApps/{Uri.EscapeDataString(_options.TeamsAppCatalogId)}";
        var teamsTab = new TeamsTab
        {
            DisplayName = tab.DisplayName,
            Configuration = new TeamsTabConfiguration
            {
                EntityId = tab.EntityId,
                ContentUrl = tab.ContentUrl.ToString(),
                WebsiteUrl = tab.WebsiteUrl?.ToString(),
                AdditionalData = new Dictionary<string, object> { ["removeUrl"] = null! },
            },
            AdditionalData = new Dictionary<string, object> { ["teamsApp@odata.bind"] = appBinding },
        };
        await GraphFailures.CallAsync(
            () => _graph.Teams[channel.TeamId].Channels[channel.ChannelId].Tabs.PostAsync(teamsTab, cancellationToken: cancellationToken),
            CreateTab,
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Graph has answered a duplicate channel name both as code "NameAlreadyExists" and as a plain 400 BadRequest
    /// "Channel name already existed, please use other name."
    /// </summary>
    private static bool IsNameTaken(ODataError error) =>
        error.ResponseStatusCode is 400 or 409
        && (string.Equals(error.Error?.Code, "NameAlreadyExists", StringComparison.OrdinalIgnoreCase)
            || (error.Error?.Message ?? error.Message).Contains("already exist", StringComparison.OrdinalIgnoreCase));

    private async Task<IncidentChannel?> FindByNameAsync(string teamId, string displayName, CancellationToken cancellationToken)
    {
        // OData string literals double their single quotes.
        string filter = $"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'";
        var page = await GraphFailures.CallAsync(
            () => _graph.Teams[teamId].Channels.GetAsync(r => r.QueryParameters.Filter = filter, cancellationToken),
            ReadChannels,
            _time,
            cancellationToken).ConfigureAwait(false);
        var existing = page?.Value?.FirstOrDefault(c => string.Equals(c.DisplayName, displayName, StringComparison.OrdinalIgnoreCase))
            ?? page?.Value?.FirstOrDefault();
        return ToIncidentChannel(teamId, existing);
    }

    private static IncidentChannel? ToIncidentChannel(string teamId, Channel? channel) =>
        channel?.Id is { } id
            ? new IncidentChannel(teamId, id, channel.DisplayName ?? string.Empty, Uri.TryCreate(channel.WebUrl, UriKind.Absolute, out var web) ? web : null)
            : null;
}
