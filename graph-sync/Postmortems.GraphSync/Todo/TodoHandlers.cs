using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Todo;

/// <summary>
/// "todo.sync": brings one action's task in line with the action. Safe to run again: the link records the action
/// version last written, and a create whose answer was lost is found by its linked resource's externalId (the action
/// id; To Do tasks have no transactionId) before a second one is made.
/// </summary>
public sealed class TodoSyncHandler(
    ITodoGateway gateway,
    TodoSyncStore store,
    TodoSync sync,
    PostmortemItemStore<ActionItem> actions,
    PostmortemRepository postmortems,
    IOptions<PostmortemOptions> options) : IOutboxHandler
{
    public string Operation => TodoSync.SyncOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var request = JsonSerializer.Deserialize<TodoSync.SyncRequest>(item.Payload, TodoSync.Json)
            ?? throw new ExternalCallException("The stored request could not be read.", isTransient: false);
        var action = await actions.GetAsync(item.TenantId, item.PostmortemId, request.ActionId, cancellationToken).ConfigureAwait(false);
        var link = await store.GetLinkAsync(item.TenantId, item.PostmortemId, request.ActionId, cancellationToken).ConfigureAwait(false);

        if (link is not null && (action?.Owner is null || link.OwnerId != action.Owner.ObjectId))
        {
            // Deleted, or given to someone else: the old owner's task is deleted, not completed. Completing it would
            // tell them (and To Do's completed list) that they did work they handed over.
            await gateway.DeleteTaskAsync(link.OwnerId, link.ListId, link.TaskId, cancellationToken).ConfigureAwait(false);
            await store.DeleteLinkAsync(link, cancellationToken).ConfigureAwait(false);
            link = null;
        }

        if (action?.Owner is null)
        {
            return "{\"task\":\"deleted\"}";
        }

        if (link is not null && link.ActionETag == action.ETag)
        {
            return "{\"task\":\"unchanged\"}";
        }

        string ownerId = action.Owner.ObjectId;
        var list = await EnsureListAsync(item.TenantId, ownerId, cancellationToken).ConfigureAwait(false);
        var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
        var content = ContentOf(action, postmortem?.Title ?? string.Empty, options.Value.TabUrlFor(item.PostmortemId));

        TodoTaskState? task = null;
        if (link is not null)
        {
            try
            {
                task = await gateway.UpdateTaskAsync(ownerId, list.ListId, link.TaskId, content, cancellationToken).ConfigureAwait(false);
            }
            catch (ExternalCallException ex) when (ex.Status == 404)
            {
                // Deleted in To Do: the action is still open in the product, so it gets a task again.
                task = null;
            }
        }

        if (task is null)
        {
            var earlier = await gateway.FindTaskByExternalIdAsync(ownerId, list.ListId, content.ExternalId, cancellationToken).ConfigureAwait(false);
            task = earlier is null
                ? await gateway.CreateTaskAsync(ownerId, list.ListId, content, cancellationToken).ConfigureAwait(false)
                : await gateway.UpdateTaskAsync(ownerId, list.ListId, earlier.Id, content, cancellationToken).ConfigureAwait(false);
        }

        await store.SaveLinkAsync(
            new TodoLink(item.TenantId, item.PostmortemId, action.Id, ownerId, list.ListId, task.Id)
            {
                TaskETag = task.ETag,
                ActionETag = action.ETag,
                TaskCompleted = content.Completed,
            },
            cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(new { task = task.Id, completed = content.Completed }, TodoSync.Json);
    }

    /// <summary>What the task shows for an action: done and won't-do both complete it (nothing is left to do).</summary>
    public static TodoTaskContent ContentOf(ActionItem action, string postmortemTitle, Uri? link)
    {
        ArgumentNullException.ThrowIfNull(action);
        string body = link is null
            ? $"An action from the postmortem “{postmortemTitle}”."
            : $"An action from the postmortem “{postmortemTitle}”: {link}";
        body += $"\nPriority: {action.Priority.ToString().ToLowerInvariant()}.";
        if (WorkItemLinks.IsSafe(action.WorkItemLink))
        {
            body += $"\nWork item: {action.WorkItemLink}";
        }

        return new TodoTaskContent(
            action.Title,
            action.DueDate,
            action.Status is ActionStatus.Done or ActionStatus.WontDo,
            body,
            link,
            postmortemTitle,
            action.Id);
    }

    /// <summary>The owner's list: the one recorded, else the one named so in their To Do, else a new one.</summary>
    private async Task<TodoList> EnsureListAsync(string tenantId, string ownerId, CancellationToken cancellationToken)
    {
        var list = await store.GetListAsync(tenantId, ownerId, cancellationToken).ConfigureAwait(false);
        if (list is not null)
        {
            return list;
        }

        string name = sync.Options.ListName;
        string listId = await gateway.FindListAsync(ownerId, name, cancellationToken).ConfigureAwait(false)
            ?? await gateway.CreateListAsync(ownerId, name, cancellationToken).ConfigureAwait(false);
        list = new TodoList(tenantId, ownerId, listId);
        await store.SaveListAsync(list, cancellationToken).ConfigureAwait(false);
        await sync.RequestSubscribeAsync(tenantId, ownerId, SubscriptionMode.Ensure, cancellationToken).ConfigureAwait(false);
        return list;
    }
}

/// <summary>
/// "todo.pull": reads what changed in an owner's list since the last time (tasks/delta, the stored deltaLink) and
/// brings it into the product: a task completed in To Do or Outlook marks its action done; a completed task reopened
/// there reopens a done action. Title and due date stay the product's: changes to them in To Do are overwritten by the
/// next change in the product. Used for notifications and for reconciliation alike, so a lost notification is
/// repaired by the next reconciliation.
/// </summary>
public sealed partial class TodoPullHandler(
    ITodoGateway gateway,
    TodoSyncStore store,
    PostmortemItemStore<ActionItem> actions,
    TimeProvider time,
    ILogger<TodoPullHandler> logger) : IOutboxHandler
{
    public string Operation => TodoSync.PullOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var request = JsonSerializer.Deserialize<TodoSync.ListRequest>(item.Payload, TodoSync.Json)
            ?? throw new ExternalCallException("The stored request could not be read.", isTransient: false);
        var list = await store.GetListAsync(item.TenantId, request.OwnerId, cancellationToken).ConfigureAwait(false);
        if (list is null)
        {
            return null;
        }

        TodoDelta delta;
        try
        {
            delta = await gateway.DeltaAsync(request.OwnerId, list.ListId, list.DeltaLink, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException ex) when (list.DeltaLink is not null && ex.Status is 400 or 410)
        {
            // The delta token expired: read the whole list again (every task is compared with its link anyway).
            delta = await gateway.DeltaAsync(request.OwnerId, list.ListId, null, cancellationToken).ConfigureAwait(false);
        }

        int changed = 0;
        foreach (var task in delta.Tasks.Where(t => !t.Removed))
        {
            if (await ApplyAsync(item.TenantId, task, cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
        }

        if (delta.DeltaLink is not null)
        {
            await store.SaveListAsync(list with { DeltaLink = delta.DeltaLink }, cancellationToken).ConfigureAwait(false);
        }

        return JsonSerializer.Serialize(new { tasks = delta.Tasks.Count, actionsChanged = changed }, TodoSync.Json);
    }

    private async Task<bool> ApplyAsync(string tenantId, TodoTaskState task, CancellationToken cancellationToken)
    {
        if (await store.FindActionAsync(tenantId, task.Id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return false;
        }

        var link = await store.GetLinkAsync(tenantId, found.PostmortemId, found.ActionId, cancellationToken).ConfigureAwait(false);
        if (link is null || link.TaskId != task.Id || link.TaskCompleted == task.Completed)
        {
            // Not ours any more, or the task is as we last wrote or saw it: nothing was changed in To Do.
            return false;
        }

        string? actionETag = link.ActionETag;
        bool changed = false;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var action = await actions.GetAsync(tenantId, found.PostmortemId, found.ActionId, cancellationToken).ConfigureAwait(false);
            if (action is null)
            {
                return false;
            }

            ActionStatus? target = task.Completed
                ? (action.Status is ActionStatus.Done or ActionStatus.WontDo ? null : ActionStatus.Done)
                : (action.Status == ActionStatus.Done ? ActionStatus.Open : null);
            if (target is null)
            {
                actionETag = action.ETag;
                break;
            }

            var (moved, _) = ActionItemRules.MoveTo(action, target.Value, time.GetUtcNow());
            if (moved is null)
            {
                break;
            }

            var result = await actions.UpdateAsync(tenantId, moved, cancellationToken).ConfigureAwait(false);
            if (result.Status == WriteStatus.Saved)
            {
                actionETag = result.Value!.ETag;
                changed = true;
                LogMarked(logger, found.PostmortemId, found.ActionId, target.Value);
                break;
            }

            if (result.Status != WriteStatus.Conflict)
            {
                return false;
            }
        }

        // Recorded as seen, so the sync of the action write just made finds the task already in line.
        await store.SaveLinkAsync(link with { TaskCompleted = task.Completed, TaskETag = task.ETag, ActionETag = actionETag }, cancellationToken).ConfigureAwait(false);
        return changed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "To Do sync: action {PostmortemId}/{ActionId} marked {Status} from Microsoft To Do")]
    private static partial void LogMarked(ILogger logger, string postmortemId, string actionId, ActionStatus status);
}

/// <summary>
/// "todo.subscribe": makes, renews or remakes the change-notification subscription of an owner's list. Each new
/// subscription gets a new random clientState. A create retried after a lost answer may leave an extra subscription in
/// Graph; its notifications name an id we did not record and are ignored, and it expires within three days.
/// </summary>
public sealed class TodoSubscribeHandler(ITodoGateway gateway, TodoSyncStore store, TodoSync sync, TimeProvider time) : IOutboxHandler
{
    public string Operation => TodoSync.SubscribeOperation;

    public async Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var request = JsonSerializer.Deserialize<TodoSync.ListRequest>(item.Payload, TodoSync.Json)
            ?? throw new ExternalCallException("The stored request could not be read.", isTransient: false);
        var list = await store.GetListAsync(item.TenantId, request.OwnerId, cancellationToken).ConfigureAwait(false);
        if (list is null || sync.NotificationUrl is not { } notificationUrl || sync.LifecycleUrl is not { } lifecycleUrl)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var expiresAt = now + sync.Options.SubscriptionLifetime;
        bool live = list.SubscriptionId is not null && list.SubscriptionExpiresAt > now;
        if (request.Mode == SubscriptionMode.Ensure && live && list.SubscriptionExpiresAt > now + sync.Options.RenewWithin)
        {
            return "{\"subscription\":\"current\"}";
        }

        if (request.Mode != SubscriptionMode.Recreate && live)
        {
            try
            {
                var renewed = await gateway.RenewSubscriptionAsync(list.SubscriptionId!, expiresAt, cancellationToken).ConfigureAwait(false);
                await store.SaveListAsync(list with { SubscriptionExpiresAt = renewed.ExpiresAt }, cancellationToken).ConfigureAwait(false);
                return JsonSerializer.Serialize(new { renewed = renewed.Id, until = renewed.ExpiresAt }, TodoSync.Json);
            }
            catch (ExternalCallException ex) when (ex.Status == 404)
            {
                // Graph no longer has it: make a new one below.
            }
        }

        string clientState = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string resource = $"/users/{request.OwnerId}/todo/lists/{list.ListId}/tasks";
        var created = await gateway.CreateSubscriptionAsync(resource, notificationUrl, lifecycleUrl, clientState, expiresAt, cancellationToken).ConfigureAwait(false);
        await store.SaveListAsync(list with { SubscriptionId = created.Id, ClientState = clientState, SubscriptionExpiresAt = created.ExpiresAt }, cancellationToken).ConfigureAwait(false);

        // Whatever changed while there was no subscription is read now.
        await sync.RequestPullAsync(item.TenantId, request.OwnerId, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(new { created = created.Id, until = created.ExpiresAt }, TodoSync.Json);
    }
}
