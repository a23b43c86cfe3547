using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>
/// Removing and restoring, the same for every kind of item: a removed item keeps its row with a tombstone (who, when)
/// merged in, so every read of the store leaves it out and "Undo" can bring it back as it was. The followers are told
/// as for a delete and, on restore, as for an add, so indexes (my actions, reminders due) and To Do follow.
/// </summary>
public sealed partial class PostmortemItemStore<T>
{
    /// <summary>
    /// Marks the item removed by <paramref name="removedBy"/> if nobody changed it since it was read (its ETag).
    /// Who may remove is the caller's rule (<see cref="RemovalRules"/>); this only stores it.
    /// </summary>
    public async Task<WriteResult<T>> RemoveAsync(string tenantId, T item, Person removedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(removedBy);
        if (item.ETag is null)
        {
            throw new ArgumentException("Only an item that was read from storage can be removed: its ETag is missing.", nameof(item));
        }

        if (!Ids.IsValidKeyPart(item.PostmortemId) || !Ids.IsValidKeyPart(item.Id))
        {
            return WriteResult<T>.NotFound();
        }

        if (!EntityTags.IsWellFormed(item.ETag))
        {
            return await ConflictOrGoneAsync(tenantId, item, cancellationToken).ConfigureAwait(false);
        }

        var tombstone = new ItemTombstone(removedBy, _time.GetUtcNow());
        try
        {
            var response = await StorageCalls.Run(
                () => _table.UpdateEntityAsync(tombstone.ToMerge(PartitionKeys.ForPostmortem(tenantId, item.PostmortemId), RowKey(item.Id)), new ETag(item.ETag), TableUpdateMode.Merge, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            await IndexAsync(tenantId, parent: null, before: item, after: null, cancellationToken).ConfigureAwait(false);
            return WriteResult<T>.Saved(item with { ETag = response.Headers.ETag?.ToString() });
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return await ConflictOrGoneAsync(tenantId, item, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteResult<T>.NotFound();
        }
    }

    /// <summary>A removed item with its tombstone; null when it does not exist for this tenant or is not removed.</summary>
    public async Task<RemovedItem<T>?> GetRemovedAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken = default) =>
        await ReadRowAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false) is { } entity && ItemTombstone.Of(entity) is { } tombstone
            ? new RemovedItem<T>(FromEntity(entity), tombstone)
            : null;

    /// <summary>
    /// Brings a removed item back exactly as it was (its row without the tombstone). Restoring an item that is not
    /// removed (a second click on "Undo") answers <see cref="WriteStatus.AlreadyExists"/> with it and changes nothing.
    /// </summary>
    public async Task<WriteResult<T>> RestoreAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken = default)
    {
        var row = await ReadRowAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return WriteResult<T>.NotFound();
        }

        if (!ItemTombstone.IsRemoved(row))
        {
            return WriteResult<T>.AlreadyExists(FromEntity(row));
        }

        var item = FromEntity(row);
        try
        {
            var response = await StorageCalls.Run(
                () => _table.UpdateEntityAsync(ToEntity(tenantId, item), row.ETag, TableUpdateMode.Replace, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            var restored = (T)(item with { ETag = response.Headers.ETag?.ToString() });
            await IndexAsync(tenantId, parent: null, before: null, after: restored, cancellationToken).ConfigureAwait(false);
            return WriteResult<T>.Saved(restored);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Someone restored it at the same moment: it is back either way.
            var current = await GetAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false);
            return current is null ? WriteResult<T>.Conflict(null) : WriteResult<T>.AlreadyExists(current);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteResult<T>.NotFound();
        }
    }

    private async Task<WriteResult<T>> ConflictOrGoneAsync(string tenantId, T item, CancellationToken cancellationToken) =>
        await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false) is { } current
            ? WriteResult<T>.Conflict(current)
            : WriteResult<T>.NotFound();
}
