using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Storage;

/// <summary>
/// Follows one kind of item: told by <see cref="PostmortemItemStore{T}"/> after every successful add, update and
/// delete, whoever wrote it (the chat, the tab, a reminder card, a change pulled from To Do), so no surface can forget
/// it. Two sorts: a secondary index kept in the same storage (an action's copy under its owner), and work for another
/// service, which a follower only queues in the outbox (coalesced, retried, kept across restarts) and never does
/// inline. The item is saved whatever a follower does: a failure is logged and the item's next write repairs it.
/// </summary>
public interface IItemFollower<T>
    where T : PostmortemItem
{
    /// <summary>
    /// The item went from <paramref name="before"/> (null: it was added) to <paramref name="after"/> (null: it was
    /// deleted). <paramref name="parent"/> is the postmortem when the writer had it at hand, else null.
    /// </summary>
    Task ItemWrittenAsync(string tenantId, Postmortem? parent, T? before, T? after, CancellationToken cancellationToken);
}
