using Azure.Data.Tables;
using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>
/// The storage mapping of an <see cref="ITextItem"/> kind: the text in a "Text" property. A kind names its row key
/// prefix, its rules and how to make an item from the common fields and the text.
/// </summary>
public abstract class TextItemMapping<T> : IItemMapping<T>
    where T : PostmortemItem, ITextItem
{
    public abstract string Kind { get; }

    public abstract IReadOnlyList<FieldError> Validate(T item, DateTimeOffset now, bool isNew);

    public void Write(T item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(ITextItem.Text)] = item.Text;
    }

    public T Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return Create(fields, entity.GetString(nameof(ITextItem.Text)) ?? string.Empty);
    }

    protected abstract T Create(ItemFields fields, string text);
}
