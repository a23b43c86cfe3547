using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Storage;

/// <summary>
/// Stores one kind of item inside postmortems. All items of a postmortem share its partition
/// (<see cref="PartitionKeys.ForPostmortem"/>); the row key is "&lt;kind&gt;_&lt;id&gt;". Every read is a point read or a
/// query of that one partition; every update and delete sends the item's ETag as If-Match.
/// </summary>
public sealed partial class PostmortemItemStore<T>
    where T : PostmortemItem
{
    private readonly TableClient _table;
    private readonly IItemMapping<T> _mapping;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IItemFollower<T>> _indexes;
    private readonly ILogger _logger;

    /// <param name="index">A secondary index kept after every successful add, update and delete; null for none.</param>
    public PostmortemItemStore(TableClient itemsTable, IItemMapping<T> mapping, TimeProvider time, IItemFollower<T>? index = null, ILogger? logger = null)
        : this(itemsTable, mapping, time, index is null ? [] : [index], logger)
    {
    }

    /// <param name="indexes">
    /// Secondary indexes (and other followers of the item, e.g. a sync to another service) told after every successful
    /// add, update and delete, in this order. Each is told even when an earlier one failed.
    /// </param>
    public PostmortemItemStore(TableClient itemsTable, IItemMapping<T> mapping, TimeProvider time, IEnumerable<IItemFollower<T>> indexes, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        _table = itemsTable;
        _mapping = mapping;
        _time = time;
        _indexes = [.. indexes];
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Adds an item to a postmortem the caller has already read for this tenant (so the parent is known to exist).
    /// Adding the same id twice stores it once and answers <see cref="WriteStatus.AlreadyExists"/> with the stored copy.
    /// </summary>
    public async Task<WriteResult<T>> AddAsync(string tenantId, Postmortem parent, T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(item);
        if (item.PostmortemId != parent.Id)
        {
            throw new ArgumentException("The item belongs to another postmortem.", nameof(item));
        }

        var errors = ValidateWithId(item, isNew: true);
        if (errors.Count > 0)
        {
            return WriteResult<T>.Invalid(errors);
        }

        var entity = ToEntity(tenantId, item);
        try
        {
            var response = await StorageCalls.Run(() => _table.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            var saved = (T)(item with { ETag = response.Headers.ETag?.ToString() });
            await IndexAsync(tenantId, parent, before: null, after: saved, cancellationToken).ConfigureAwait(false);
            return WriteResult<T>.Saved(saved);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return WriteResult<T>.AlreadyExists(await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>A point read. Unknown ids, malformed ids, other tenants' ids and removed items all read as null.</summary>
    public async Task<T?> GetAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken = default) =>
        await ReadRowAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false) is { } entity && !ItemTombstone.IsRemoved(entity)
            ? FromEntity(entity)
            : null;

    private async Task<TableEntity?> ReadRowAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValidKeyPart(postmortemId) || !Ids.IsValidKeyPart(itemId))
        {
            return null;
        }

        var response = await StorageCalls.Run(
            () => _table.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForPostmortem(tenantId, postmortemId), RowKey(itemId), cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Every item of this kind in one postmortem, removed ones left out: one query of its partition, bounded by the row
    /// key range of the kind.
    /// </summary>
    public async Task<IReadOnlyList<T>> ListAsync(string tenantId, string postmortemId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(postmortemId))
        {
            return [];
        }

        string partition = PartitionKeys.ForPostmortem(tenantId, postmortemId);
        string from = _mapping.Kind + "_";
        string to = _mapping.Kind + "`"; // '`' is the character after '_', so [from, to) is exactly this kind.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");

        return await StorageCalls.Run(
            async () =>
            {
                var items = new List<T>();
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (!ItemTombstone.IsRemoved(entity))
                    {
                        items.Add(FromEntity(entity));
                    }
                }

                return (IReadOnlyList<T>)items;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the stored item if nobody changed it since <paramref name="item"/> was read (its ETag).
    /// Otherwise nothing is written and <see cref="WriteStatus.Conflict"/> carries the other person's version.
    /// </summary>
    public async Task<WriteResult<T>> UpdateAsync(string tenantId, T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.ETag is null)
        {
            throw new ArgumentException("Only an item that was read from storage can be updated: its ETag is missing.", nameof(item));
        }

        var errors = ValidateWithId(item, isNew: false);
        if (errors.Count > 0)
        {
            return WriteResult<T>.Invalid(errors);
        }

        if (!EntityTags.IsWellFormed(item.ETag))
        {
            // No stored version carries it, so it is a stale version: the same answer as a changed item.
            return WriteResult<T>.Conflict(await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false));
        }

        var before = await ReadBeforeWriteAsync(tenantId, item, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await StorageCalls.Run(
                () => _table.UpdateEntityAsync(ToEntity(tenantId, item), new ETag(item.ETag), TableUpdateMode.Replace, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            var saved = (T)(item with { ETag = response.Headers.ETag?.ToString() });
            await IndexAsync(tenantId, parent: null, before, saved, cancellationToken).ConfigureAwait(false);
            return WriteResult<T>.Saved(saved);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            var current = await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false);

            // Removed meanwhile: the same answer as an item that is gone.
            if (current is null)
            {
                return WriteResult<T>.NotFound();
            }

            // The stored version already holds exactly this content: most likely our own earlier attempt, which reached
            // storage although its answer never came back (the request's deadline passed). Report what really happened.
            return SameContent(tenantId, current, item) ? WriteResult<T>.Saved(current) : WriteResult<T>.Conflict(current);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteResult<T>.NotFound();
        }
    }

    private bool SameContent(string tenantId, T stored, T wanted)
    {
        var a = ToEntity(tenantId, stored);
        var b = ToEntity(tenantId, wanted);
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && Equals(p.Value, other));
    }

    /// <summary>Deletes the item if nobody changed it since it was read.</summary>
    public async Task<WriteResult<T>> DeleteAsync(string tenantId, T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.ETag is null)
        {
            throw new ArgumentException("Only an item that was read from storage can be deleted: its ETag is missing.", nameof(item));
        }

        if (!Ids.IsValidKeyPart(item.PostmortemId) || !Ids.IsValidKeyPart(item.Id))
        {
            return WriteResult<T>.NotFound();
        }

        if (!EntityTags.IsWellFormed(item.ETag))
        {
            return WriteResult<T>.Conflict(await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false));
        }

        var before = await ReadBeforeWriteAsync(tenantId, item, cancellationToken).ConfigureAwait(false);
        try
        {
            // The SDK answers a delete of a missing entity with its 404 response instead of throwing.
            var response = await StorageCalls.Run(
                () => _table.DeleteEntityAsync(PartitionKeys.ForPostmortem(tenantId, item.PostmortemId), RowKey(item.Id), new ETag(item.ETag), cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (response.Status == 404)
            {
                return WriteResult<T>.NotFound();
            }

            StorageRequest.MarkSaved();
            await IndexAsync(tenantId, parent: null, before ?? item, after: null, cancellationToken).ConfigureAwait(false);
            return WriteResult<T>.Saved(item);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return WriteResult<T>.Conflict(await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteResult<T>.NotFound();
        }
    }

    /// <summary>True when a row of the postmortem's partition holds a (not removed) item of this kind.</summary>
    public bool IsOfThisKind(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.RowKey.StartsWith(_mapping.Kind + "_", StringComparison.Ordinal) && !ItemTombstone.IsRemoved(entity);
    }

    /// <summary>The row key prefix of this kind ("action"), as cards name the kind of an item to remove or restore.</summary>
    public string Kind => _mapping.Kind;

    public T FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var fields = new ItemFields(
            Id: entity.RowKey[(_mapping.Kind.Length + 1)..],
            PostmortemId: entity.RequiredString(nameof(PostmortemItem.PostmortemId)),
            Author: entity.RequiredPerson(nameof(PostmortemItem.Author)),
            CreatedAt: entity.GetInstant(nameof(PostmortemItem.CreatedAt)) ?? DateTimeOffset.MinValue,
            ETag: entity.ETag.ToString());
        var item = _mapping.Read(entity, fields);
        return entity.GetPerson(nameof(PostmortemItem.EditedBy)) is { } editor ? (T)(item with { EditedBy = editor }) : item;
    }

    /// <summary>
    /// With an index, the stored version is read before an update or delete, so the index knows what the item was
    /// (an action's previous owner). The write is conditional on the ETag the caller read, so when it succeeds the
    /// version read here is exactly the one it replaced. Without an index, no extra read.
    /// </summary>
    private async Task<T?> ReadBeforeWriteAsync(string tenantId, T item, CancellationToken cancellationToken) =>
        _indexes.Count == 0 ? null : await GetAsync(tenantId, item.PostmortemId, item.Id, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The item is saved whatever happens here: a failed index write (or follower: a To Do sync, a refresh) is logged,
    /// and the next write of the item repairs it. Any failure, the request's deadline included, so that a saved item is
    /// never answered as "not saved" or as an error.
    /// </summary>
    private async Task IndexAsync(string tenantId, Postmortem? parent, T? before, T? after, CancellationToken cancellationToken)
    {
        foreach (var index in _indexes)
        {
            try
            {
                await index.ItemWrittenAsync(tenantId, parent, before, after, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var item = (after ?? before)!;
                LogIndexWriteFailed(_logger, ex, _mapping.Kind, item.PostmortemId, item.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} {PostmortemId}/{ItemId} was saved, but its index copy was not; the next write of it repairs the copy")]
    private static partial void LogIndexWriteFailed(ILogger logger, Exception exception, string kind, string postmortemId, string itemId);

    private IReadOnlyList<FieldError> ValidateWithId(T item, bool isNew)
    {
        var errors = new List<FieldError>(_mapping.Validate(item, _time.GetUtcNow(), isNew));
        if (!Ids.IsValidKeyPart(item.Id) || !Ids.IsValidKeyPart(item.PostmortemId))
        {
            errors.Add(new FieldError("id", "This item's id is not valid. Please start again from the postmortem."));
        }

        var author = new Validation().RequiredPerson("author", "an author", item.Author);
        errors.AddRange(author.Errors);
        return errors;
    }

    private TableEntity ToEntity(string tenantId, T item)
    {
        var entity = new TableEntity(PartitionKeys.ForPostmortem(tenantId, item.PostmortemId), RowKey(item.Id))
        {
            [nameof(PostmortemItem.PostmortemId)] = item.PostmortemId,
            [nameof(PostmortemItem.CreatedAt)] = item.CreatedAt,
        };
        entity.SetPerson(nameof(PostmortemItem.Author), item.Author);
        if (item.EditedBy is { } editor)
        {
            entity.SetPerson(nameof(PostmortemItem.EditedBy), editor);
        }

        _mapping.Write(item, entity);
        return entity;
    }

    private string RowKey(string itemId) => $"{_mapping.Kind}_{itemId}";
}
