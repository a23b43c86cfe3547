using Azure.Data.Tables;
using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>
/// Who removed an item and when. A removed item stays in its row with these properties added, so "Undo" can restore it;
/// every read of the store (point reads, lists, the whole document) treats a row that carries them as gone.
/// </summary>
public sealed record ItemTombstone(Person RemovedBy, DateTimeOffset RemovedAt)
{
    private const string By = "RemovedBy";
    private const string At = "RemovedAt";

    public static bool IsRemoved(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.GetDateTimeOffset(At) is not null;
    }

    public static ItemTombstone? Of(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.GetDateTimeOffset(At) is { } at && entity.GetPerson(By) is { } by ? new ItemTombstone(by, at) : null;
    }

    /// <summary>The properties a merge adds to the item's row to mark it removed.</summary>
    public TableEntity ToMerge(string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey) { [At] = RemovedAt };
        entity.SetPerson(By, RemovedBy);
        return entity;
    }
}

/// <summary>A removed item and its tombstone, as "Undo" finds it.</summary>
public sealed record RemovedItem<T>(T Item, ItemTombstone Tombstone)
    where T : PostmortemItem;
