using Azure.Data.Tables;
using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>The fields every postmortem item has, read by <see cref="PostmortemItemStore{T}"/> for its mapping.</summary>
public readonly record struct ItemFields(string Id, string PostmortemId, Person Author, DateTimeOffset CreatedAt, string ETag);

/// <summary>How one kind of postmortem item is checked and stored. One implementation per aggregate, in its folder.</summary>
public interface IItemMapping<T>
    where T : PostmortemItem
{
    /// <summary>The row key prefix of this kind inside the postmortem's partition, e.g. "action".</summary>
    string Kind { get; }

    IReadOnlyList<FieldError> Validate(T item, DateTimeOffset now, bool isNew);

    /// <summary>Writes the kind's own properties; the store writes the common ones.</summary>
    void Write(T item, TableEntity entity);

    T Read(TableEntity entity, ItemFields fields);
}
