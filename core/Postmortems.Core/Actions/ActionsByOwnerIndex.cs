using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Actions;

/// <summary>An open or in-progress action as "my actions" lists it: the action and the title of its postmortem.</summary>
public sealed record OwnedAction(ActionItem Action, string PostmortemTitle);

/// <summary>One page of "my actions", and where the next one starts (null on the last page).</summary>
public sealed record OwnedActionsPage(IReadOnlyList<OwnedAction> Items, OwnedActionPosition? Next);

/// <summary>
/// Where an action stands in "my actions": by due date (none last), then priority (high first), then when it was created, then its row key
/// (postmortem id | action id), so no two actions tie and the order is the same on every read. Overdue actions come
/// first because they have the earliest due dates: the order does not depend on today.
/// </summary>
public sealed record OwnedActionPosition(DateOnly? DueDate, DateTimeOffset CreatedAt, string RowKey, ActionPriority Priority = ActionPriority.Medium)
{
    public static OwnedActionPosition Of(ActionItem action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new(action.DueDate, action.CreatedAt.ToUniversalTime(), action.PostmortemId + "|" + action.Id, action.Priority);
    }

    public static int Compare(OwnedActionPosition a, OwnedActionPosition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int byDue = (a.DueDate ?? DateOnly.MaxValue).CompareTo(b.DueDate ?? DateOnly.MaxValue);
        if (byDue != 0)
        {
            return byDue;
        }

        int byNoDue = a.DueDate.HasValue.CompareTo(b.DueDate.HasValue);
        if (byNoDue != 0)
        {
            return -byNoDue;
        }

        int byPriority = a.Priority.CompareTo(b.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        int byCreated = a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks);
        return byCreated != 0 ? byCreated : string.CompareOrdinal(a.RowKey, b.RowKey);
    }
}

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
public sealed class ActionsByOwnerIndex(PostmortemTables tables, PostmortemRepository postmortems, TimeProvider time) : IItemFollower<ActionItem>, IDisposable
{
    /// <summary>The stamp row's key: without '|', so no action's row can have it.</summary>
    public const string StampRowKey = "stamp";

    private const string PostmortemTitle = "PostmortemTitle";
    private const string ActionId = "ActionId";
    private const string ActionETag = "ActionETag";

    private static readonly ActionItemMapping Mapping = new();

    // Lists read at a known stamp, sized by their actions so the memory they hold is bounded (about 1 KB an action).
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    // The partition queries running now, by partition and stamp version.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Partition, string Version), Lazy<Task<SortedList>>> _loading = new();

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
        && !ItemTombstone.IsRemoved(stored)
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

    /// <summary>
    /// The open and in-progress actions <paramref name="ownerId"/> owns in this tenant, in "my actions" order
    /// (<see cref="OwnedActionPosition.Compare"/>): one point read of the stamp, and one partition query when the
    /// partition changed since it was last read.
    /// </summary>
    public async Task<IReadOnlyList<OwnedAction>> ListAsync(string tenantId, string ownerId, CancellationToken cancellationToken = default) =>
        Array.AsReadOnly((await ReadSortedAsync(tenantId, ownerId, cancellationToken).ConfigureAwait(false)).Items);

    /// <summary>
    /// One page of <see cref="ListAsync"/>: at most <paramref name="size"/> actions that sort after
    /// <paramref name="after"/> (from the start when null), and the position to continue from when more follow. A
    /// position, not an index, so a page is neither skipped nor repeated when actions are added or finished between
    /// pages: an action already shown moves only when its due date changes.
    /// </summary>
    public async Task<OwnedActionsPage> PageAsync(string tenantId, string ownerId, OwnedActionPosition? after, int size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var list = await ReadSortedAsync(tenantId, ownerId, cancellationToken).ConfigureAwait(false);
        int start = after is null ? 0 : list.IndexAfter(after);
        int count = Math.Min(size, list.Items.Length - start);
        var items = new OwnedAction[count];
        Array.Copy(list.Items, start, items, 0, count);
        var next = start + count < list.Items.Length ? list.Positions[start + count - 1] : null;
        return new OwnedActionsPage(items, next);
    }

    private async Task<SortedList> ReadSortedAsync(string tenantId, string ownerId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValidKeyPart(ownerId))
        {
            return SortedList.Empty;
        }

        string partition = PartitionKeys.ForOwner(tenantId, ownerId);
        var stamp = await StorageCalls.Run(
            () => tables.ActionsByOwner.GetEntityIfExistsAsync<TableEntity>(partition, StampRowKey, select: ["RowKey"], cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);

        // Read before the list, so a list cached under this version is never older than it; rows written before
        // stamps existed have none, and are always queried.
        string? version = stamp.HasValue ? stamp.Value!.ETag.ToString() : null;
        if (version is null)
        {
            return await QuerySortedAsync(partition, cancellationToken).ConfigureAwait(false);
        }

        if (_lists.TryGetValue(partition, out ListAtVersion? known) && known!.Version == version)
        {
            return known.List;
        }

        // Requests that miss the same version together share one query: a long list opened by several devices at once
        // (or by the load tool's workers) is read from storage once, not once per request. The shared query runs
        // without any one request's cancellation; each request stops waiting on its own.
        var loading = _loading.GetOrAdd((partition, version), key => new Lazy<Task<SortedList>>(() => LoadAsync(key.Partition, key.Version)));
        return await loading.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SortedList> LoadAsync(string partition, string version)
    {
        try
        {
            var list = await QuerySortedAsync(partition, CancellationToken.None).ConfigureAwait(false);
            _lists.Set(partition, new ListAtVersion(version, list), new MemoryCacheEntryOptions { Size = list.Items.Length + 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
            return list;
        }
        finally
        {
            _loading.TryRemove((partition, version), out _);
        }
    }

    private async Task<SortedList> QuerySortedAsync(string partition, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        return await StorageCalls.Run(
            async () =>
            {
                var rows = new List<(OwnedAction Item, OwnedActionPosition Position)>();
                await foreach (var row in tables.ActionsByOwner.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (row.RowKey != StampRowKey)
                    {
                        var owned = FromRow(row);
                        if (owned.Action.Status is ActionStatus.Open or ActionStatus.InProgress)
                        {
                            rows.Add((owned, OwnedActionPosition.Of(owned.Action)));
                        }
                    }
                }

                rows.Sort((a, b) => OwnedActionPosition.Compare(a.Position, b.Position));
                return new SortedList([.. rows.Select(r => r.Item)], [.. rows.Select(r => r.Position)]);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _lists.Dispose();

    private sealed record ListAtVersion(string Version, SortedList List);

    /// <summary>A list in "my actions" order with each action's position, for finding where a page starts.</summary>
    private sealed class SortedList(OwnedAction[] items, OwnedActionPosition[] positions)
    {
        public static readonly SortedList Empty = new([], []);

        public OwnedAction[] Items { get; } = items;

        public OwnedActionPosition[] Positions { get; } = positions;

        /// <summary>The index of the first action that sorts after <paramref name="position"/>: a binary search.</summary>
        public int IndexAfter(OwnedActionPosition position)
        {
            int low = 0, high = Positions.Length;
            while (low < high)
            {
                int middle = low + ((high - low) / 2);
                if (OwnedActionPosition.Compare(Positions[middle], position) <= 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }

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
