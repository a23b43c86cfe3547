using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// Rewrites the follow-up meeting's body with the actions as they are when it runs (PATCH of the event), so the
/// invite always lists the open actions. Running it twice sends the same body twice, which is harmless.
/// </summary>
public sealed class RefreshFollowUpHandler(
    IMeetingGateway gateway,
    PostmortemDocumentReader documents,
    PostmortemItemStore<ScheduledMeeting> meetings,
    InviteBodySource bodies) : IOutboxHandler
{
    public string Operation => MeetingScheduler.RefreshFollowUpOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var followUp = await meetings.GetAsync(item.TenantId, item.PostmortemId, ScheduledMeeting.IdOf(MeetingKind.FollowUp), cancellationToken).ConfigureAwait(false);
        var document = await documents.ReadAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        if (followUp is null || document is null)
        {
            return null;
        }

        var body = await bodies.BuildAsync(followUp.Invite, document, cancellationToken).ConfigureAwait(false);
        try
        {
            await gateway.UpdateEventAsync(followUp.Invite, followUp.EventId, body, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException ex) when (ex.Status == 404)
        {
            throw new ExternalCallException("The follow-up meeting was deleted from the calendar, so its action list can't be kept up to date. Type followup to schedule it again.", isTransient: false, status: 404, innerException: ex);
        }

        return null;
    }
}
