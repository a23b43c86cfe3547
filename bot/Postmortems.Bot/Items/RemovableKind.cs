using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Items;

/// <summary>What removing and restoring needs of one kind of item, whatever its type: the cards name it and show it.</summary>
public interface IRemovableKind
{
    /// <summary>The store's kind ("action"), carried by the Remove and Undo buttons.</summary>
    string Kind { get; }

    /// <summary>What people call it: "timeline entry", "idea".</summary>
    string Noun { get; }

    Task<PostmortemItem?> GetAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken);

    Task<(WriteStatus Status, PostmortemItem? Item)> RemoveAsync(string tenantId, PostmortemItem item, Person removedBy, CancellationToken cancellationToken);

    Task<(PostmortemItem Item, ItemTombstone Tombstone)?> GetRemovedAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken);

    Task<(WriteStatus Status, PostmortemItem? Item)> RestoreAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken);

    /// <summary>A short line that tells people which item it is (user text: the card escapes it).</summary>
    string Describe(PostmortemItem item);
}

/// <summary>One kind of item people can remove from the chat, over its store.</summary>
public sealed class RemovableKind<T>(PostmortemItemStore<T> store, string noun, Func<T, string> describe) : IRemovableKind
    where T : PostmortemItem
{
    public string Kind => store.Kind;

    public string Noun => noun;

    public async Task<PostmortemItem?> GetAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken) =>
        await store.GetAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false);

    public async Task<(WriteStatus Status, PostmortemItem? Item)> RemoveAsync(string tenantId, PostmortemItem item, Person removedBy, CancellationToken cancellationToken)
    {
        var result = await store.RemoveAsync(tenantId, (T)item, removedBy, cancellationToken).ConfigureAwait(false);
        return (result.Status, result.Value);
    }

    public async Task<(PostmortemItem Item, ItemTombstone Tombstone)?> GetRemovedAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken) =>
        await store.GetRemovedAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false) is { } removed ? (removed.Item, removed.Tombstone) : null;

    public async Task<(WriteStatus Status, PostmortemItem? Item)> RestoreAsync(string tenantId, string postmortemId, string itemId, CancellationToken cancellationToken)
    {
        var result = await store.RestoreAsync(tenantId, postmortemId, itemId, cancellationToken).ConfigureAwait(false);
        return (result.Status, result.Value);
    }

    public string Describe(PostmortemItem item) => describe((T)item);
}

public static class RemovableKindServiceCollectionExtensions
{
    /// <summary>
    /// Lets people remove (and restore) items of this kind from the chat: the "Remove" buttons of its cards work once its
    /// feature calls this, naming the item (<paramref name="noun"/>) and how a card shows one (<paramref name="describe"/>).
    /// </summary>
    public static IServiceCollection AddRemovableItem<T>(this IServiceCollection services, string noun, Func<T, string> describe)
        where T : PostmortemItem =>
        services.AddSingleton<IRemovableKind>(sp => new RemovableKind<T>(sp.GetRequiredService<PostmortemItemStore<T>>(), noun, describe));
}
