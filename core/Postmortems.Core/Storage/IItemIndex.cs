using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Storage;

/// <summary>
/// A secondary index of one kind of item, kept by <see cref="PostmortemItemStore{T}"/> after each successful write, so
/// that every writer (the bot, the tab) maintains it. The index is a copy: if writing it fails after the item was
/// saved, the store logs it and the item's next write repairs the copy.
/// </summary>
public interface IItemIndex<T>
    where T : PostmortemItem
{
    /// <summary>
    /// The item went from <paramref name="before"/> (null: it was added) to <paramref name="after"/> (null: it was
    /// deleted). <paramref name="parent"/> is the postmortem when the writer had it at hand, else null.
    /// </summary>
    Task ItemWrittenAsync(string tenantId, Postmortem? parent, T? before, T? after, CancellationToken cancellationToken);
}
