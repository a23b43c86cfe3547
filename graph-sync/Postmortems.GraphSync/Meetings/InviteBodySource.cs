using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core;
using Postmortems.Core.Common;
using Postmortems.Core.Overview;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// Builds an invite's body when it is sent, from the postmortem as it is then and the earlier postmortems that match it
/// ("Seen before", read from the search index). The index is a helper, not the truth: when it can't be read (a storage
/// outage), the invite goes out without that section and a warning is logged; it never holds the invite back.
/// </summary>
public sealed partial class InviteBodySource(
    PracticeOverview overview,
    IOptions<PostmortemOptions> options,
    TimeProvider time,
    ILogger<InviteBodySource> logger)
{
    /// <summary>The body for the invite's kind.</summary>
    public async Task<InviteBody> BuildAsync(MeetingInvite invite, PostmortemDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(document);
        var earlier = await EarlierAsync(invite.TenantId, document.Postmortem.Id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return invite.Kind == MeetingKind.Postmortem
            ? InviteBodies.Postmortem(document, invite.PostmortemLink, invite.TimeZone, invite.PageLink, earlier)
            : InviteBodies.FollowUp(document, invite.PostmortemLink, DateOnly.FromDateTime(TimeZones.InZone(now, invite.TimeZone).DateTime), invite.PageLink, earlier);
    }

    private async Task<IReadOnlyList<EarlierPostmortem>> EarlierAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        try
        {
            var matches = await overview.SeenBeforeAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
            return [.. matches.Select(m => new EarlierPostmortem(m, options.Value.TabUrlFor(m.PostmortemId)))];
        }
        catch (StorageUnavailableException ex)
        {
            LogSeenBeforeUnavailable(logger, ex, postmortemId);
        }
        catch (RequestFailedException ex)
        {
            LogSeenBeforeUnavailable(logger, ex, postmortemId);
        }

        return [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invite for postmortem {PostmortemId}: the search index could not be read, so it goes out without \"Seen before\"")]
    private static partial void LogSeenBeforeUnavailable(ILogger logger, Exception exception, string postmortemId);
}
