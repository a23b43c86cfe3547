using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Todo;

namespace Postmortems.GraphSync.ActionFollowers;

/// <summary>Keeps the owner's Microsoft To Do task in line with the action: queues a coalesced "todo.sync" job.</summary>
public sealed class TodoTaskFollower(TodoSync todo) : IItemFollower<ActionItem>
{
    public async Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        var action = after ?? before;
        if (!todo.IsOn || action is null || !TaskShowsChange(before, after))
        {
            return;
        }

        await todo.RequestSyncAsync(tenantId, action.PostmortemId, action.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Only what the task shows (its body has the priority and work item link) or whose task it is matters; other edits (the category) send nothing.</summary>
    public static bool TaskShowsChange(ActionItem? before, ActionItem? after) =>
        before is null || after is null
        || before.Title != after.Title || before.DueDate != after.DueDate || before.Status != after.Status || before.Owner?.ObjectId != after.Owner?.ObjectId
        || before.Priority != after.Priority || before.WorkItemLink != after.WorkItemLink;
}
