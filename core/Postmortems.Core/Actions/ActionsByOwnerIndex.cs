using Azure;
using Azure.Data.Tables;
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
/// </summary>
public sealed class ActionsByOwnerIndex(PostmortemTables tables, PostmortemRepository postmortems) : IItemIndex<ActionItem>
{
    private const string PostmortemTitle = "PostmortemTitle";
    private const string ActionId = "ActionId";
    private const string ActionETag = "ActionETag";

    private static readonly ActionItemMapping Mapping = new();

    public async Task ItemWrittenAsync(string tenantId, Postmortem? parent, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        string? newOwner = after is not null && IsListed(after) ? after.Owner!.ObjectId : null;

        // Whoever owned it before, or owns it now but no longer has it listed (finished), loses their copy.
        var stale = new HashSet<string>(StringComparer.Ordinal);
        foreach (var owner in new[] { before?.Owner, after?.Owner })
        {
            if (owner is not null && Ids.IsValidKeyPart(owner.ObjectId) && owner.ObjectId != newOwner)
            {
                stale.Add(owner.ObjectId);
            }
        }

        foreach (string ownerId in stale)
        {
            await RemoveAsync(tenantId, ownerId, (after ?? before)!, cancellationToken).ConfigureAwait(false);
        }

        if (newOwner is null || after is null)
        {
            return;
        }

        string title = parent?.Title
            ?? (await postmortems.GetAsync(tenantId, after.PostmortemId, cancellationToken).ConfigureAwait(false))?.Title
            ?? string.Empty;
        var row = new TableEntity(PartitionKeys.ForOwner(tenantId, newOwner), RowKey(after))
        {
            [ActionId] = after.Id,
            [nameof(ActionItem.PostmortemId)] = after.PostmortemId,
            [nameof(ActionItem.CreatedAt)] = after.CreatedAt,
            [ActionETag] = after.ETag,
            [PostmortemTitle] = title,
        };
        row.SetPerson(nameof(ActionItem.Author), after.Author);
        Mapping.Write(after, row);
        await StorageCalls.Run(() => tables.ActionsByOwner.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open and in-progress actions <paramref name="ownerId"/> owns in this tenant: one partition query.</summary>
    public async Task<IReadOnlyList<OwnedAction>> ListAsync(string tenantId, string ownerId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(ownerId))
        {
            return [];
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForOwner(tenantId, ownerId)}");
        return await StorageCalls.Run(
            async () =>
            {
                var items = new List<OwnedAction>();
                await foreach (var row in tables.ActionsByOwner.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    items.Add(FromRow(row));
                }

                return (IReadOnlyList<OwnedAction>)items;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every open and in-progress action of every tenant, for the reminder scan. This is the product's one
    /// cross-partition read, and it runs only in the background (never for a request): the table holds exactly the
    /// live actions (finished ones leave it), so the scan reads what reminders are about and nothing else. Rows are
    /// streamed page by page; the tenant is the partition key's first part, written only by
    /// <see cref="PartitionKeys.ForOwner"/>.
    /// </summary>
    public async IAsyncEnumerable<LiveAction> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in tables.ActionsByOwner.QueryAsync<TableEntity>(filter: (string?)null, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            int bar = row.PartitionKey.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0)
            {
                continue;
            }

            var owned = FromRow(row);
            yield return new LiveAction(row.PartitionKey[..bar], owned.Action, owned.PostmortemTitle);
        }
    }

    private static bool IsListed(ActionItem action) =>
        action.Status is ActionStatus.Open or ActionStatus.InProgress && action.Owner is { } owner && Ids.IsValidKeyPart(owner.ObjectId);

    private async Task RemoveAsync(string tenantId, string ownerId, ActionItem action, CancellationToken cancellationToken)
    {
        // A missing row is fine (the action was finished already): the SDK answers 404 without throwing.
        await StorageCalls.Run(
            () => tables.ActionsByOwner.DeleteEntityAsync(PartitionKeys.ForOwner(tenantId, ownerId), RowKey(action), ETag.All, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

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
