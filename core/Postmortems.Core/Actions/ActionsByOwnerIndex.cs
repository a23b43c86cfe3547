using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Actions;

/// <summary>An open or in-progress action as "my actions" lists it: the action and the title of its postmortem.</summary>
public sealed record OwnedAction(ActionItem Action, string PostmortemTitle);

/// <summary>A live action found by the background reminder scan, with the tenant it belongs to.</summary>
public sealed record LiveAction(string TenantId, ActionItem Action, string PostmortemTitle);

/// <summary>
/// "My actions" without scanning: a copy of each open or in-progress action in the table
/// <see cref="TableNames.ActionsByOwner"/>, partition = tenant + owner (<see cref="PartitionKeys.ForOwner"/>),
/// row = postmortem id + "|" + action id ('|' never occurs in ids, so the key is unambiguous). Rows are upserted, never
/// replaced with If-Match: the action row is the truth and each action write rewrites its copy. A copy can lag when
/// writing it failed after the action was saved, or when the postmortem is renamed; the next write of that action
/// repairs it. Finished actions (done, won't do) and actions without an owner have no row.
/// <para>
/// Each partition also has a stamp row (<see cref="StampRowKey"/>), rewritten in the same transaction as every row
/// change, so its ETag is the partition's version. "My actions" reads the stamp (a point read) and answers from the
/// list it read at that version when it has one: the tab opens often and the list changes rarely, and a point read
/// costs far less than a partition query (in Azurite, which scans the whole table for a query, a hundred times less).
/// </para>
/// </summary>
public sealed class ActionsByOwnerIndex(PostmortemTables tables, PostmortemRepository postmortems, TimeProvider time) : IItemIndex<ActionItem>, IDisposable
{
    /// <summary>The stamp row's key: without '|', so no action's row can have it.</summary>
    public const string StampRowKey = "stamp";

    private const string PostmortemTitle = "PostmortemTitle";
    private const string ActionId = "ActionId";
    private const string ActionETag = "ActionETag";

    private static readonly ActionItemMapping Mapping = new();

    // Lists read at a known stamp, sized by their actions so the memory they hold is bounded (about 1 KB an action).
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    /// <summary>Which reminders are due on which day; kept here, with "my actions", after every action write.</summary>
    public RemindersDueIndex RemindersDue { get; } = new(tables, time);

    /// <summary>
    /// Makes the row of every owner this write touched (the owner before and after) match the action as it is stored,
    /// read back after the write: rows follow the stored truth, not the write that triggered them. Concurrent
    /// reassignments (found by the 50-editor concurrency test) are handled by verifying after each step, with
    /// conditional deletes: a row written is removed (If-Match on what we wrote) when the owner changed meanwhile; a
    /// row removed is only the version read before the owner was checked, so a newer owner's fresh row survives.
    /// </summary>
    public async Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        var action = (after ?? before)!;
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var owner in new[] { before?.Owner, after?.Owner })
        {
            if (owner is not null && Ids.IsValidKeyPart(owner.ObjectId))
            {
                touched.Add(owner.ObjectId);
            }
        }

        // The reminders-due row (written only when the action becomes remindable or gets a new due date) goes alongside,
        // so it adds no wait to the write that triggered it.
        await Task.WhenAll(SyncOwnersAsync(), RemindersDue.ActionWrittenAsync(tenantId, before, after, cancellationToken)).ConfigureAwait(false);

        async Task SyncOwnersAsync()
        {
            foreach (string ownerId in touched)
            {
                await SyncOwnerAsync(tenantId, parent, action, ownerId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SyncOwnerAsync(string tenantId, Postmortem? parent, ActionItem action, string ownerId, CancellationToken cancellationToken)
    {
        string partition = PartitionKeys.ForOwner(tenantId, ownerId);
        var existing = await StorageCalls.Run(
            () => tables.ActionsByOwner.GetEntityIfExistsAsync<TableEntity>(partition, RowKey(action), select: ["RowKey"], cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var current = await ReadStoredAsync(tenantId, action, cancellationToken).ConfigureAwait(false);
        if (ListedOwnerOf(current) != ownerId)
        {
            if (existing.HasValue)
            {
                await DeleteIfUnchangedAsync(partition, action, existing.Value!.ETag, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        string title = parent?.Title
            ?? (await postmortems.GetAsync(tenantId, action.PostmortemId, cancellationToken).ConfigureAwait(false))?.Title
            ?? string.Empty;
        var written = await StorageCalls.Run(
            () => tables.ActionsByOwner.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.UpsertReplace, RowFrom(current!, tenantId, ownerId, action, title)), NewStamp(partition)],
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (ListedOwnerOf(await ReadStoredAsync(tenantId, action, cancellationToken).ConfigureAwait(false)) != ownerId)
        {
            // Reassigned (or finished) while we wrote: take back exactly the row we wrote, not a newer one.
            await DeleteIfUnchangedAsync(partition, action, written.Value[0].Headers.ETag ?? ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TableEntity?> ReadStoredAsync(string tenantId, ActionItem action, CancellationToken cancellationToken)
    {
        var stored = await StorageCalls.Run(
            () => tables.Items.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForPostmortem(tenantId, action.PostmortemId), Mapping.Kind + "_" + action.Id, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return stored.HasValue ? stored.Value : null;
    }

    /// <summary>Whose "my actions" lists the stored action: its owner while it is open or in progress, else nobody.</summary>
    private static string? ListedOwnerOf(TableEntity? stored) =>
        stored is not null
        && stored.GetEnum(nameof(ActionItem.Status), ActionStatus.Open) is ActionStatus.Open or ActionStatus.InProgress
        && stored.GetPerson(nameof(ActionItem.Owner)) is { } owner && Ids.IsValidKeyPart(owner.ObjectId)
            ? owner.ObjectId
            : null;

    private async Task DeleteIfUnchangedAsync(string partition, ActionItem action, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            // A missing row (404) or a row rewritten since, a newer owner's (412), fails the whole transaction: both are fine.
            await StorageCalls.Run(
                () => tables.ActionsByOwner.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RowKey(action)), etag), NewStamp(partition)],
                    cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
        }
    }

    /// <summary>A new version of the partition: the stamp is rewritten, so its ETag changes.</summary>
    private static TableTransactionAction NewStamp(string partition) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, StampRowKey));

    /// <summary>The index row: the stored action's own properties, plus what the list needs besides.</summary>
    private static TableEntity RowFrom(TableEntity stored, string tenantId, string ownerId, ActionItem action, string title)
    {
        var row = new TableEntity(PartitionKeys.ForOwner(tenantId, ownerId), RowKey(action));
        foreach (var (name, value) in stored)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
            {
                row[name] = value;
            }
        }

        row[ActionId] = action.Id;
        row[nameof(ActionItem.PostmortemId)] = action.PostmortemId;
        row[ActionETag] = stored.ETag.ToString();
        row[PostmortemTitle] = title;
        return row;
    }

    /// <summary>The open and in-progress actions <paramref name="ownerId"/> owns in this tenant: one partition query.</summary>
    public async Task<IReadOnlyList<OwnedAction>> ListAsync(string tenantId, string ownerId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(ownerId))
        {
            return [];
        }

        string partition = PartitionKeys.ForOwner(tenantId, ownerId);
        var stamp = await StorageCalls.Run(
            () => tables.ActionsByOwner.GetEntityIfExistsAsync<TableEntity>(partition, StampRowKey, select: ["RowKey"], cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);

        // Read before the list, so a list cached under this version is never older than it; rows written before
        // stamps existed have none, and are always queried.
        string? version = stamp.HasValue ? stamp.Value!.ETag.ToString() : null;
        if (version is not null && _lists.TryGetValue(partition, out ListAtVersion? known) && known!.Version == version)
        {
            return known.Items;
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var items = await StorageCalls.Run(
            async () =>
            {
                var items = new List<OwnedAction>();
                await foreach (var row in tables.ActionsByOwner.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (row.RowKey != StampRowKey)
                    {
                        items.Add(FromRow(row));
                    }
                }

                return (IReadOnlyList<OwnedAction>)items;
            },
            cancellationToken).ConfigureAwait(false);
        if (version is not null)
        {
            _lists.Set(partition, new ListAtVersion(version, items), new MemoryCacheEntryOptions { Size = items.Count + 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        }

        return items;
    }

    public void Dispose() => _lists.Dispose();

    private sealed record ListAtVersion(string Version, IReadOnlyList<OwnedAction> Items);

    /// <summary>
    /// Every open and in-progress action of every tenant, read once per table to fill <see cref="RemindersDue"/> with
    /// actions written before it existed (<see cref="RemindersDueIndex.BackfillOnceAsync"/>); the reminder scan itself
    /// reads only what is due. This is the product's one cross-partition read, in the background only. Rows are
    /// streamed page by page; the tenant is the partition key's first part, written only by
    /// <see cref="PartitionKeys.ForOwner"/>.
    /// </summary>
    public async IAsyncEnumerable<LiveAction> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in tables.ActionsByOwner.QueryAsync<TableEntity>(filter: (string?)null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            int bar = row.PartitionKey.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || row.RowKey == StampRowKey)
            {
                continue;
            }

            var owned = FromRow(row);
            yield return new LiveAction(row.PartitionKey[..bar], owned.Action, owned.PostmortemTitle);
        }
    }

    private static bool IsListed(ActionItem action) =>
        action.Status is ActionStatus.Open or ActionStatus.InProgress && action.Owner is { } owner && Ids.IsValidKeyPart(owner.ObjectId);

    private static string RowKey(ActionItem action) => action.PostmortemId + "|" + action.Id;

    private static OwnedAction FromRow(TableEntity row)
    {
        var fields = new ItemFields(
            Id: row.RequiredString(ActionId),
            PostmortemId: row.RequiredString(nameof(ActionItem.PostmortemId)),
            Author: row.RequiredPerson(nameof(ActionItem.Author)),
            CreatedAt: row.GetInstant(nameof(ActionItem.CreatedAt)) ?? DateTimeOffset.MinValue,
            ETag: row.GetString(ActionETag) ?? string.Empty);
        return new OwnedAction(Mapping.Read(row, fields), row.GetString(PostmortemTitle) ?? string.Empty);
    }
}
