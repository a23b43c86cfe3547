using Postmortems.Bot.Cards;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Items;

/// <summary>
/// "Remove" and its "Undo", for every kind of item that opted in (<see cref="RemovableKindServiceCollectionExtensions.AddRemovableItem"/>).
/// Allowed to the item's author and the facilitator (<see cref="RemovalRules"/>); anyone else is told who can, and
/// nothing changes. The postmortem is read fresh (not the recent copy), since who facilitates decides.
/// </summary>
public sealed class ItemRemovalFeature(PostmortemContext context, IEnumerable<IRemovableKind> kinds)
{
    private readonly Dictionary<string, IRemovableKind> _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<ItemRemovalFeature>();
        services.AddCardAction<ItemRemovalFeature>(ItemCards.RemoveVerb, f => f.RemoveAsync);
        services.AddCardAction<ItemRemovalFeature>(ItemCards.RestoreVerb, f => f.RestoreAsync);
        return services;
    }

    private static InvokeResponse Gone { get; } = InvokeResponse.ActionError(404, "NotFound", "This item no longer exists, or it belongs to another postmortem.");

    private static InvokeResponse UnknownKind { get; } = InvokeResponse.ActionError(400, "BadRequest", "This card is out of date. Please list the items again and remove it from there.");

    public Task<InvokeResponse> RemoveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => RemoveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> RemoveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        if (KindOf(values) is not { } kind)
        {
            return UnknownKind;
        }

        string zone = PostmortemContext.ZoneOf(action.Activity);
        string? itemId = values[FormCards.ItemIdKey];
        var item = itemId is null ? null : await kind.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            // A second click, or someone else removed it first: show it removed, with its Undo.
            var removed = itemId is null ? null : await kind.GetRemovedAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
            return removed is { } r ? InvokeResponse.Card(ItemCards.Removed(postmortem, kind, r.Item, r.Tombstone, zone)) : Gone;
        }

        var who = PostmortemContext.Author(action.Activity);
        if (!RemovalRules.CanRemove(postmortem, item, who))
        {
            return ItemEdits.Refused(postmortem, item, "remove");
        }

        var shown = item with { ETag = values[FormCards.ETagKey] ?? item.ETag };
        var (status, saved) = await kind.RemoveAsync(action.TenantId, shown, who, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            WriteStatus.Saved => await RemovedCardAsync(action, postmortem, kind, saved ?? item, zone, cancellationToken).ConfigureAwait(false),
            WriteStatus.Conflict => InvokeResponse.ActionError(409, "Conflict", $"Someone changed this {kind.Noun} a moment ago, so it was not removed. Please look at it again first."),
            _ => Gone,
        };
    }

    private static async Task<InvokeResponse> RemovedCardAsync(CardActionContext action, Postmortem postmortem, IRemovableKind kind, PostmortemItem item, string zone, CancellationToken cancellationToken)
    {
        var removed = await kind.GetRemovedAsync(action.TenantId, postmortem.Id, item.Id, cancellationToken).ConfigureAwait(false);
        var tombstone = removed?.Tombstone ?? new ItemTombstone(PostmortemContext.Author(action.Activity), DateTimeOffset.UtcNow);
        return InvokeResponse.Card(ItemCards.Removed(postmortem, kind, item, tombstone, zone));
    }

    public Task<InvokeResponse> RestoreAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => RestoreAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> RestoreAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        if (KindOf(values) is not { } kind)
        {
            return UnknownKind;
        }

        if (values[FormCards.ItemIdKey] is not { } itemId)
        {
            return Gone;
        }

        var removed = await kind.GetRemovedAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        if (removed is null)
        {
            // Already back (a second click, or someone else's Undo): say so, with the item as it is.
            var current = await kind.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
            return current is null ? Gone : InvokeResponse.Card(ItemCards.Restored(postmortem, kind, current));
        }

        if (!RemovalRules.CanRemove(postmortem, removed.Value.Item, PostmortemContext.Author(action.Activity)))
        {
            return ItemEdits.Refused(postmortem, removed.Value.Item, "restore");
        }

        var (status, restored) = await kind.RestoreAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        return status is WriteStatus.Saved or WriteStatus.AlreadyExists && restored is not null
            ? InvokeResponse.Card(ItemCards.Restored(postmortem, kind, restored))
            : Gone;
    }

    private IRemovableKind? KindOf(FormValues values) =>
        values[ItemCards.KindKey] is { } kind && _kinds.TryGetValue(kind, out var found) ? found : null;
}
