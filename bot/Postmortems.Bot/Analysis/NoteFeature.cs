using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Items;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Analysis;

/// <summary>The "went well" and "lucky" commands and their forms: two short lists, each item with its author.</summary>
public sealed class NoteFeature(PostmortemContext context, PostmortemItemStore<WentWell> wentWell, PostmortemItemStore<LuckyBreak> lucky, TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<NoteFeature>();
        services.AddCommand<NoteFeature>("went well", "went well", "Note something that went well during the incident.", f => f.WentWellCommandAsync, "wentwell");
        services.AddCommand<NoteFeature>("lucky", "lucky", "Note where we got lucky: what helped by chance, and may not be there next time.", f => f.LuckyCommandAsync);
        services.AddCardAction<NoteFeature>(NoteList.WentWell.NewVerb, f => f.NewWentWellAsync);
        services.AddCardAction<NoteFeature>(NoteList.WentWell.SaveVerb, f => f.SaveWentWellAsync);
        services.AddCardAction<NoteFeature>(NoteList.Lucky.NewVerb, f => f.NewLuckyAsync);
        services.AddCardAction<NoteFeature>(NoteList.Lucky.SaveVerb, f => f.SaveLuckyAsync);
        services.AddCardAction<NoteFeature>(NoteList.WentWell.EditVerb, f => f.EditWentWellAsync);
        services.AddCardAction<NoteFeature>(NoteList.Lucky.EditVerb, f => f.EditLuckyAsync);
        services.AddRemovableItem<WentWell>(NoteList.WentWell.Noun, n => n.Text);
        services.AddRemovableItem<LuckyBreak>(NoteList.Lucky.Noun, n => n.Text);
        return services;
    }

    public Task<IReadOnlyList<Activity>> WentWellCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => NoteCards.Form(NoteList.WentWell, p, FormState.Empty, Ids.NewItemId(), await WentWellLinesAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<IReadOnlyList<Activity>> LuckyCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => NoteCards.Form(NoteList.Lucky, p, FormState.Empty, Ids.NewItemId(), await LuckyLinesAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<InvokeResponse> NewWentWellAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, async (p, _) => InvokeResponse.Card(NoteCards.Form(NoteList.WentWell, p, FormState.Empty, Ids.NewItemId(), await WentWellLinesAsync(action.TenantId, p.Id, cancellationToken).ConfigureAwait(false))), cancellationToken);

    public Task<InvokeResponse> NewLuckyAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, async (p, _) => InvokeResponse.Card(NoteCards.Form(NoteList.Lucky, p, FormState.Empty, Ids.NewItemId(), await LuckyLinesAsync(action.TenantId, p.Id, cancellationToken).ConfigureAwait(false))), cancellationToken);

    public Task<InvokeResponse> SaveWentWellAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            (postmortem, values) => SaveAsync(
                action, postmortem, values, NoteList.WentWell, wentWell,
                (id, author, text) => new WentWell { Id = id, PostmortemId = postmortem.Id, Author = author, CreatedAt = time.GetUtcNow(), Text = text },
                () => WentWellLinesAsync(action.TenantId, postmortem.Id, cancellationToken),
                cancellationToken),
            cancellationToken);

    public Task<InvokeResponse> SaveLuckyAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            (postmortem, values) => SaveAsync(
                action, postmortem, values, NoteList.Lucky, lucky,
                (id, author, text) => new LuckyBreak { Id = id, PostmortemId = postmortem.Id, Author = author, CreatedAt = time.GetUtcNow(), Text = text },
                () => LuckyLinesAsync(action.TenantId, postmortem.Id, cancellationToken),
                cancellationToken),
            cancellationToken);

    /// <summary>Adds a note, or (with the card's item id) replaces the one being edited, by its author or the facilitator.</summary>
    private static async Task<InvokeResponse> SaveAsync<T>(
        CardActionContext action,
        Postmortem postmortem,
        FormValues values,
        NoteList list,
        PostmortemItemStore<T> store,
        Func<string, Person, string, T> create,
        Func<Task<IReadOnlyList<NoteLine>>> lines,
        CancellationToken cancellationToken)
        where T : PostmortemItem
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        T? stored = null;
        if (itemId is not null)
        {
            (stored, var refusal) = await ItemEdits.FindEditableAsync(store, action, postmortem, itemId, list.Noun, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        // Both cards list the items so far; with storage down there is no list to show.
        var save = new FormSave<T>(
            async again => NoteCards.Form(list, postmortem, again.State, cardId, again.StorageIsDown ? [] : await lines().ConfigureAwait(false), itemId, again.Newer?.ETag ?? etag),
            async saved => NoteCards.Saved(list, postmortem, await lines().ConfigureAwait(false), (store.Kind, saved), updated: stored is not null))
        {
            ConflictBannerFor = newer => ItemEdits.ConflictBanner(newer, list.Noun),
            Deleted = ItemEdits.Gone(list.Noun),
        };
        var author = PostmortemContext.Author(action.Activity);
        var item = create(PostmortemContext.ItemIdFor(cardId, author), author, values["text"] ?? string.Empty);
        return await save.SaveAsync(
            values,
            [],
            () => stored is null
                ? store.AddAsync(action.TenantId, postmortem, item, cancellationToken)
                : store.UpdateAsync(action.TenantId, ItemEdits.Edited(stored, item, author, etag), cancellationToken)).ConfigureAwait(false);
    }

    public Task<InvokeResponse> EditWentWellAsync(CardActionContext action, CancellationToken cancellationToken) =>
        EditAsync(action, NoteList.WentWell, wentWell, n => n.Text, (tenantId, postmortemId) => WentWellLinesAsync(tenantId, postmortemId, cancellationToken), cancellationToken);

    public Task<InvokeResponse> EditLuckyAsync(CardActionContext action, CancellationToken cancellationToken) =>
        EditAsync(action, NoteList.Lucky, lucky, n => n.Text, (tenantId, postmortemId) => LuckyLinesAsync(tenantId, postmortemId, cancellationToken), cancellationToken);

    /// <summary>The same form, filled in with the note as stored, for its author or the facilitator.</summary>
    private Task<InvokeResponse> EditAsync<T>(
        CardActionContext action, NoteList list, PostmortemItemStore<T> store, Func<T, string> textOf, Func<string, string, Task<IReadOnlyList<NoteLine>>> lines, CancellationToken cancellationToken)
        where T : PostmortemItem =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var (note, refusal) = await ItemEdits.FindEditableAsync(store, action, postmortem, values[FormCards.ItemIdKey], list.Noun, cancellationToken).ConfigureAwait(false);
                if (note is null)
                {
                    return refusal!;
                }

                var state = FormState.From(new Dictionary<string, string?> { ["text"] = textOf(note) });
                var earlier = await lines(action.TenantId, postmortem.Id).ConfigureAwait(false);
                return InvokeResponse.Card(NoteCards.Form(list, postmortem, state, Ids.NewItemId(), earlier, note.Id, note.ETag));
            },
            cancellationToken);

    private async Task<IReadOnlyList<NoteLine>> WentWellLinesAsync(string tenantId, string postmortemId, CancellationToken cancellationToken) =>
        [.. (await wentWell.ListAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false)).Select(NoteLine.From)];

    private async Task<IReadOnlyList<NoteLine>> LuckyLinesAsync(string tenantId, string postmortemId, CancellationToken cancellationToken) =>
        [.. (await lucky.ListAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false)).Select(NoteLine.From)];
}
