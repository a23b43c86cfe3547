using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Lifecycle;

/// <summary>
/// An action follower: when an action of a published postmortem is finished (done or won't-do) or removed and none is
/// left open, the postmortem closes (<see cref="LifecycleStep.AllActionsFinished"/>). Whoever finished it (the chat, the
/// tab, a reminder card, To Do), so the status follows the real work. Reminders already stop for finished actions only.
/// </summary>
public sealed class ClosesWhenActionsFinished(PostmortemRepository postmortems, PostmortemTables tables, TimeProvider time) : IItemFollower<ActionItem>
{
    // Reads only: a store of its own without followers, so this follower does not depend on the store that tells it.
    private readonly PostmortemItemStore<ActionItem> _actions = new(tables.Items, new ActionItemMapping(), time);

    public async Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        var item = after ?? before;
        if (item is null || (after is not null && !IsFinished(after)))
        {
            return;
        }

        // Two tries: a concurrent change to the postmortem (its ETag moved) is read again once.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var postmortem = await postmortems.GetAsync(tenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
            if (postmortem?.Status != PostmortemStatus.Published)
            {
                return;
            }

            var actions = await _actions.ListAsync(tenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
            if (actions.Count == 0 || !actions.All(IsFinished))
            {
                return;
            }

            var outcome = PostmortemLifecycle.Apply(postmortem, new LifecycleRequest(LifecycleStep.AllActionsFinished, By: null, time.GetUtcNow()));
            if (outcome.Moved is null || (await postmortems.UpdateAsync(tenantId, outcome.Moved, cancellationToken).ConfigureAwait(false)).Status != WriteStatus.Conflict)
            {
                return;
            }
        }
    }

    private static bool IsFinished(ActionItem action) => action.Status is ActionStatus.Done or ActionStatus.WontDo;
}
