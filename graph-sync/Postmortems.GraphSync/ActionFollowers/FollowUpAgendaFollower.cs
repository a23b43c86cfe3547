using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.ActionFollowers;

/// <summary>
/// Keeps the follow-up meeting's list of actions current: when the postmortem has a follow-up meeting, queues a
/// coalesced "followup.refresh" job, so a burst of changes is one update of the event.
/// </summary>
public sealed class FollowUpAgendaFollower(MeetingScheduler meetings) : IItemFollower<ActionItem>
{
    public async Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        if ((after ?? before) is { } action)
        {
            await meetings.ActionsChangedAsync(tenantId, action.PostmortemId, cancellationToken).ConfigureAwait(false);
        }
    }
}
