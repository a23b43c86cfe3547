using System.Text.Json;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// Sends a confirmed invite: creates the event, or updates the one sent earlier for the same meeting, then records
/// it. Safe to run again: a try that finds its own meeting already recorded returns it without sending, and a create
/// retried after a lost answer carries the same transactionId, which Graph uses to avoid a second event.
/// </summary>
public sealed class SendMeetingHandler(
    IMeetingGateway gateway,
    PostmortemDocumentReader documents,
    PostmortemItemStore<ScheduledMeeting> meetings,
    InviteBodySource bodies,
    TimeProvider time) : IOutboxHandler
{
    public string Operation => MeetingScheduler.SendOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var invite = JsonSerializer.Deserialize<MeetingInvite>(item.Payload, MeetingScheduler.Json)
            ?? throw new ExternalCallException("The stored invite could not be read.", isTransient: false);
        string meetingId = ScheduledMeeting.IdOf(invite.Kind);
        var earlier = await meetings.GetAsync(item.TenantId, item.PostmortemId, meetingId, cancellationToken).ConfigureAwait(false);
        if (earlier is not null && earlier.OutboxId == item.Id)
        {
            return Result(earlier, updated: false, []);
        }

        var document = await documents.ReadAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false)
            ?? throw new ExternalCallException("The postmortem was deleted, so there is nothing to invite people to.", isTransient: false);
        var body = await bodies.BuildAsync(invite, document, cancellationToken).ConfigureAwait(false);

        SentMeeting sent;
        bool updated = earlier is not null;
        try
        {
            sent = earlier is null
                ? await gateway.CreateEventAsync(invite, body, cancellationToken).ConfigureAwait(false)
                : await gateway.UpdateEventAsync(invite, earlier.EventId, body, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException ex) when (earlier is not null && ex.Status == 404)
        {
            // The earlier event was deleted from the calendar: this invite becomes a new meeting.
            sent = await gateway.CreateEventAsync(invite, body, cancellationToken).ConfigureAwait(false);
            updated = false;
        }

        var meeting = new ScheduledMeeting
        {
            Id = meetingId,
            PostmortemId = item.PostmortemId,
            Author = document.Postmortem.Facilitator,
            CreatedAt = earlier?.CreatedAt ?? time.GetUtcNow(),
            Kind = invite.Kind,
            Invite = invite,
            EventId = sent.EventId,
            WebLink = sent.WebLink,
            JoinUrl = sent.JoinUrl,
            LocalFile = sent.LocalFile,
            OutboxId = item.Id,
            SentAt = time.GetUtcNow(),
        };
        await SaveAsync(item.TenantId, document.Postmortem, meeting, earlier, cancellationToken).ConfigureAwait(false);
        Core.Telemetry.ProductTelemetry.InviteSent(invite.Kind == MeetingKind.Postmortem ? "postmortem" : "follow_up");
        return Result(meeting, updated, sent.SkippedAttendees);
    }

    /// <summary>Adds or replaces the meeting record; a record written meanwhile by another try is replaced with ours.</summary>
    private async Task SaveAsync(string tenantId, Postmortem postmortem, ScheduledMeeting meeting, ScheduledMeeting? earlier, CancellationToken cancellationToken)
    {
        var current = earlier;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var result = current is null
                ? await meetings.AddAsync(tenantId, postmortem, meeting, cancellationToken).ConfigureAwait(false)
                : await meetings.UpdateAsync(tenantId, meeting with { ETag = current.ETag, CreatedAt = current.CreatedAt }, cancellationToken).ConfigureAwait(false);
            if (result.Status == WriteStatus.Saved)
            {
                return;
            }

            current = await meetings.GetAsync(tenantId, postmortem.Id, meeting.Id, cancellationToken).ConfigureAwait(false);
        }

        throw new StorageUnavailableException("The meeting record kept changing while it was being saved.");
    }

    private static string Result(ScheduledMeeting meeting, bool updated, IReadOnlyList<string> skipped) =>
        JsonSerializer.Serialize(
            new MeetingSent(meeting.Kind, meeting.Invite.Subject, meeting.Invite.Start, meeting.Invite.DurationMinutes, meeting.Invite.TimeZone, meeting.EventId, meeting.WebLink, meeting.JoinUrl, meeting.LocalFile, skipped, updated),
            MeetingScheduler.Json);
}
