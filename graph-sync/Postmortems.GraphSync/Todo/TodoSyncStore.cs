using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.GraphSync.Todo;

/// <summary>An action's task: whose To Do it is in, and what the sync last wrote or saw, so a re-send changes nothing.</summary>
public sealed record TodoLink(string TenantId, string PostmortemId, string ActionId, string OwnerId, string ListId, string TaskId)
{
    public string? TaskETag { get; init; }

    /// <summary>The action's ETag the task was last written from.</summary>
    public string? ActionETag { get; init; }

    /// <summary>Whether the task was completed when last written or seen: a change from this is a change made in To Do.</summary>
    public bool TaskCompleted { get; init; }

    public string? ETag { get; init; }
}

/// <summary>An owner's "Postmortem actions" list, its change-notification subscription and its tasks/delta link.</summary>
public sealed record TodoList(string TenantId, string OwnerId, string ListId)
{
    public string? DeltaLink { get; init; }

    public string? SubscriptionId { get; init; }

    /// <summary>The secret Graph sends back in every notification of this subscription.</summary>
    public string? ClientState { get; init; }

    public DateTimeOffset? SubscriptionExpiresAt { get; init; }

    public string? ETag { get; init; }
}

/// <summary>
/// The To Do sync's own table (<see cref="TableNames.TodoSync"/> with the configured prefix), created at start-up with
/// every other table and checked by the health check; the first use in a process also makes sure it exists. Partitions: "link|tenant"
/// (row: postmortem|action), "task|tenant" (row: hash of the task id → the action), "list|tenant" (row: owner) and
/// "sub" (row: subscription id → tenant and owner, to find a notification's list).
/// </summary>
public sealed class TodoSyncStore(PostmortemTables tables)
{
    public const string TableName = TableNames.TodoSync;

    private readonly TableClient _table = tables.TodoSync;
    private readonly SemaphoreSlim _created = new(1, 1);
    private bool _exists;

    public async Task<TodoLink?> GetLinkAsync(string tenantId, string postmortemId, string actionId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync("link|" + tenantId, postmortemId + "|" + actionId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : new TodoLink(tenantId, postmortemId, actionId, entity.RequiredString("OwnerId"), entity.RequiredString("ListId"), entity.RequiredString("TaskId"))
        {
            TaskETag = entity.GetString("TaskETag"),
            ActionETag = entity.GetString("ActionETag"),
            TaskCompleted = entity.GetBoolean("TaskCompleted") ?? false,
            ETag = entity.ETag.ToString(),
        };
    }

    /// <summary>Writes the link and the task's way back to it (upserts: the sync of one action runs one at a time through the outbox).</summary>
    public async Task SaveLinkAsync(TodoLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await UpsertAsync(
            new TableEntity("link|" + link.TenantId, link.PostmortemId + "|" + link.ActionId)
            {
                ["OwnerId"] = link.OwnerId,
                ["ListId"] = link.ListId,
                ["TaskId"] = link.TaskId,
                ["TaskETag"] = link.TaskETag,
                ["ActionETag"] = link.ActionETag,
                ["TaskCompleted"] = link.TaskCompleted,
            },
            cancellationToken).ConfigureAwait(false);
        await UpsertAsync(
            new TableEntity("task|" + link.TenantId, TaskKey(link.TaskId))
            {
                ["PostmortemId"] = link.PostmortemId,
                ["ActionId"] = link.ActionId,
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteLinkAsync(TodoLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await StorageCalls.Run(() => _table.DeleteEntityAsync("link|" + link.TenantId, link.PostmortemId + "|" + link.ActionId, ETag.All, cancellationToken), cancellationToken).ConfigureAwait(false);
        await StorageCalls.Run(() => _table.DeleteEntityAsync("task|" + link.TenantId, TaskKey(link.TaskId), ETag.All, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The action a task belongs to, or null for a task the sync did not make.</summary>
    public async Task<(string PostmortemId, string ActionId)?> FindActionAsync(string tenantId, string taskId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync("task|" + tenantId, TaskKey(taskId), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : (entity.RequiredString("PostmortemId"), entity.RequiredString("ActionId"));
    }

    public async Task<TodoList?> GetListAsync(string tenantId, string ownerId, CancellationToken cancellationToken)
    {
        var entity = await GetAsync("list|" + tenantId, ownerId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToList(entity);
    }

    public async Task SaveListAsync(TodoList list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        await UpsertAsync(
            new TableEntity("list|" + list.TenantId, list.OwnerId)
            {
                ["TenantId"] = list.TenantId,
                ["ListId"] = list.ListId,
                ["DeltaLink"] = list.DeltaLink,
                ["SubscriptionId"] = list.SubscriptionId,
                ["ClientState"] = list.ClientState,
                ["SubscriptionExpiresAt"] = list.SubscriptionExpiresAt,
            },
            cancellationToken).ConfigureAwait(false);
        if (list.SubscriptionId is not null)
        {
            await UpsertAsync(new TableEntity("sub", list.SubscriptionId) { ["TenantId"] = list.TenantId, ["OwnerId"] = list.OwnerId }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The list a subscription was made for, or null for a subscription we don't know.</summary>
    public async Task<TodoList?> FindBySubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValidKeyPart(subscriptionId))
        {
            return null;
        }

        var entity = await GetAsync("sub", subscriptionId, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var list = await GetListAsync(entity.RequiredString("TenantId"), entity.RequiredString("OwnerId"), cancellationToken).ConfigureAwait(false);
        return list?.SubscriptionId == subscriptionId ? list : null;
    }

    /// <summary>Every owner list of every tenant, for the reconciliation job.</summary>
    public async Task<IReadOnlyList<TodoList>> AllListsAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        string filter = TableClient.CreateQueryFilter($"PartitionKey ge {"list|"} and PartitionKey lt {"list}"}");
        return await StorageCalls.Run(
            async () =>
            {
                var lists = new List<TodoList>();
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    lists.Add(ToList(entity));
                }

                return (IReadOnlyList<TodoList>)lists;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static TodoList ToList(TableEntity entity) => new(entity.RequiredString("TenantId"), entity.RowKey, entity.RequiredString("ListId"))
    {
        DeltaLink = entity.GetString("DeltaLink"),
        SubscriptionId = entity.GetString("SubscriptionId"),
        ClientState = entity.GetString("ClientState"),
        SubscriptionExpiresAt = entity.GetDateTimeOffset("SubscriptionExpiresAt"),
        ETag = entity.ETag.ToString(),
    };

    /// <summary>Task ids are Graph's opaque strings (they may hold '/' or '+'), so the row key is a hash of them.</summary>
    private static string TaskKey(string taskId) => Ids.DerivedId("todo-task|" + taskId);

    private async Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var response = await StorageCalls.Run(() => _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private async Task UpsertAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await StorageCalls.Run(() => _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_exists)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_exists)
            {
                await StorageCalls.Run(() => _table.CreateIfNotExistsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
                _exists = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }
}
