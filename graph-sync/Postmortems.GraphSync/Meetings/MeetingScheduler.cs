using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// What the chat asks of meetings: a proposed time, the meetings already sent, confirming an invite (recorded in the
/// outbox, sent by the worker) and keeping the follow-up meeting's body current as actions change.
/// </summary>
public sealed partial class MeetingScheduler(
    IMeetingGateway gateway,
    OutboxStore outbox,
    OutboxSignal signal,
    PostmortemItemStore<ScheduledMeeting> meetings,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<MeetingScheduler> logger)
{
    public const string SendOperation = "meeting.send";
    public const string RefreshFollowUpOperation = "followup.refresh";

    /// <summary>Calendars are read while a person waits for the preview card, so the search gets this long at most.</summary>
    public static readonly TimeSpan ProposalBudget = TimeSpan.FromSeconds(6);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>True when invites go out through Graph; false when they are written as .ics files.</summary>
    public bool SendsInvites => gateway.SendsInvites;

    /// <summary>
    /// The first time that suits everyone. When calendars cannot be read in time, the next working morning in the
    /// fallback zone, with a note saying so: the facilitator can always change the time on the card.
    /// </summary>
    public async Task<SlotProposal> ProposeAsync(SlotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ProposalBudget);
        try
        {
            return await gateway.ProposeSlotAsync(request, budget.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ExternalCallException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogProposalFailed(logger, ex);
            var now = time.GetUtcNow();
            var start = WorkingMorning.After(request.NotBefore > now ? request.NotBefore : now, request.FallbackTimeZone);
            return new SlotProposal(start, TimeZones.IsKnown(request.FallbackTimeZone) ? request.FallbackTimeZone : "UTC", EveryoneFree: false,
                "I couldn't read calendars just now, so this is the next working morning. Please check it suits people.");
        }
    }

    /// <summary>
    /// The organizer's time zone as their calendar reports it (getSchedule's working hours), for an organizer chosen
    /// on the card instead of the proposed one; <paramref name="fallback"/> when it can't be read.
    /// </summary>
    public async Task<string> OrganizerTimeZoneAsync(Attendee organizer, DateTimeOffset start, string fallback, CancellationToken cancellationToken)
    {
        var proposal = await ProposeAsync(new SlotRequest(organizer, [], start, TimeSpan.FromMinutes(15), fallback, SearchWorkingDays: 1), cancellationToken).ConfigureAwait(false);
        return proposal.OrganizerTimeZone;
    }

    public Task<ScheduledMeeting?> GetAsync(string tenantId, string postmortemId, MeetingKind kind, CancellationToken cancellationToken) =>
        meetings.GetAsync(tenantId, postmortemId, ScheduledMeeting.IdOf(kind), cancellationToken);

    /// <summary>
    /// Records a confirmed invite in the outbox and wakes the worker. The outbox id comes from the card that confirmed
    /// it, so a double click (or a redelivered click) records it once. True when it was recorded now.
    /// </summary>
    public async Task<bool> ConfirmAsync(MeetingInvite invite, string confirmationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var now = time.GetUtcNow();
        var item = new OutboxItem
        {
            Id = Ids.DerivedId($"{SendOperation}|{invite.TenantId}|{invite.PostmortemId}|{confirmationId}"),
            Operation = SendOperation,
            TenantId = invite.TenantId,
            PostmortemId = invite.PostmortemId,
            ConversationId = invite.ConversationId,
            Payload = JsonSerializer.Serialize(invite, Json),
            NextAttemptAt = now,
            CreatedAt = now,
        };
        var (_, created) = await outbox.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        return created;
    }

    /// <summary>
    /// An action changed: when a follow-up meeting exists, its body is refreshed after a short wait, so a burst of
    /// changes becomes one update of the event.
    /// </summary>
    public async Task ActionsChangedAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        var followUp = await GetAsync(tenantId, postmortemId, MeetingKind.FollowUp, cancellationToken).ConfigureAwait(false);
        if (followUp is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        await outbox.RequestAsync(
            new OutboxItem
            {
                Id = Ids.DerivedId($"{RefreshFollowUpOperation}|{tenantId}|{postmortemId}"),
                Operation = RefreshFollowUpOperation,
                TenantId = tenantId,
                PostmortemId = postmortemId,
                ConversationId = followUp.Invite.ConversationId,
                Payload = "{}",
                NextAttemptAt = now,
                CreatedAt = now,
            },
            options.Value.CoalesceWindow,
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read calendars for a meeting proposal")]
    private static partial void LogProposalFailed(ILogger logger, Exception exception);
}
