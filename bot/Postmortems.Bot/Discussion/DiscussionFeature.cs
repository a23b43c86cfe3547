using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Items;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Discussion;

/// <summary>The "whys" and "takeaways" commands and their forms.</summary>
public sealed class DiscussionFeature(PostmortemContext context, PostmortemItemStore<FiveWhys> whys, PostmortemItemStore<Takeaway> takeaways, TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<DiscussionFeature>();
        services.AddCommand<DiscussionFeature>("whys", "whys", "Work through 5 whys, from what was observed to something you can change.", f => f.WhysCommandAsync);
        services.AddCommand<DiscussionFeature>("takeaways", "takeaways", "Share what you learned.", f => f.TakeawaysCommandAsync, "takeaway");
        services.AddCardAction<DiscussionFeature>(DiscussionCards.WhysSaveVerb, f => f.SaveWhysAsync);
        services.AddCardAction<DiscussionFeature>(DiscussionCards.WhysNewVerb, f => f.NewWhysAsync);
        services.AddCardAction<DiscussionFeature>(DiscussionCards.TakeawaySaveVerb, f => f.SaveTakeawayAsync);
        services.AddCardAction<DiscussionFeature>(DiscussionCards.TakeawayNewVerb, f => f.NewTakeawayAsync);
        services.AddCardAction<DiscussionFeature>(DiscussionCards.WhysEditVerb, f => f.EditWhysAsync);
        services.AddCardAction<DiscussionFeature>(DiscussionCards.TakeawayEditVerb, f => f.EditTakeawayAsync);
        services.AddRemovableItem<FiveWhys>("5 whys chain", w => w.Problem);
        services.AddRemovableItem<Takeaway>("takeaway", t => t.Text);
        return services;
    }

    public Task<IReadOnlyList<Activity>> WhysCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, p => DiscussionCards.WhysForm(p, FormState.Empty, Ids.NewItemId()), cancellationToken);

    public Task<InvokeResponse> NewWhysAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (p, _) => InvokeResponse.Card(DiscussionCards.WhysForm(p, FormState.Empty, Ids.NewItemId())), cancellationToken);

    public Task<InvokeResponse> SaveWhysAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveWhysAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveWhysAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        var save = new FormSave<FiveWhys>(
            again => DiscussionCards.WhysForm(postmortem, again.State, cardId, itemId, again.Newer?.ETag ?? etag),
            saved => DiscussionCards.WhysSaved(postmortem, saved, BlamelessLanguage.Check([new("problem", saved.Problem), .. saved.Whys.Select((w, i) => new KeyValuePair<string, string?>($"why{i + 1}", w))]), updated: itemId is not null))
        {
            InputIdOf = InputIdOf,
            ConflictBanner = "Someone else changed this chain while you were editing it. Your text is kept here: save again to replace their version.",
            Deleted = InvokeResponse.ActionError(404, "NotFound", "This chain was removed, so it can't be edited."),
        };

        var author = PostmortemContext.Author(action.Activity);
        var chain = new FiveWhys
        {
            Id = itemId ?? PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Problem = values["problem"] ?? string.Empty,
            Whys = [.. DiscussionCards.WhyInputs.Select(id => values[id]).OfType<string>()],
        };
        var errors = DiscussionRules.Validate(chain).ToList();
        if (chain.Whys.Count == 0)
        {
            errors.Add(new FieldError("whys[0]", "Please answer the first why."));
        }

        return await save.SaveAsync(values, errors, () => WriteAsync(whys, action.TenantId, postmortem, chain, itemId, etag, cancellationToken)).ConfigureAwait(false);
    }

    public Task<InvokeResponse> EditWhysAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var chain = values[FormCards.ItemIdKey] is { } itemId ? await whys.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
                return chain is null
                    ? InvokeResponse.ActionError(404, "NotFound", "This chain no longer exists.")
                    : InvokeResponse.Card(DiscussionCards.WhysForm(postmortem, DiscussionCards.WhysStateOf(chain), Ids.NewItemId(), chain.Id, chain.ETag));
            },
            cancellationToken);

    public Task<InvokeResponse> EditTakeawayAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var takeaway = values[FormCards.ItemIdKey] is { } itemId ? await takeaways.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
                if (takeaway is null)
                {
                    return InvokeResponse.ActionError(404, "NotFound", "This takeaway no longer exists.");
                }

                var earlier = await takeaways.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
                var state = FormState.From(new Dictionary<string, string?> { ["text"] = takeaway.Text });
                return InvokeResponse.Card(DiscussionCards.TakeawayForm(postmortem, state, Ids.NewItemId(), earlier, takeaway.Id, takeaway.ETag));
            },
            cancellationToken);

    /// <summary>Adds a new item; an edit replaces the stored one (with the version the card showed) and keeps who first wrote it and when.</summary>
    private static async Task<WriteResult<T>> WriteAsync<T>(PostmortemItemStore<T> store, string tenantId, Postmortem postmortem, T item, string? itemId, string? etag, CancellationToken cancellationToken)
        where T : PostmortemItem
    {
        if (itemId is null)
        {
            return await store.AddAsync(tenantId, postmortem, item, cancellationToken).ConfigureAwait(false);
        }

        var stored = await store.GetAsync(tenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? WriteResult<T>.NotFound()
            : await store.UpdateAsync(tenantId, (T)(item with { Author = stored.Author, CreatedAt = stored.CreatedAt, ETag = etag ?? stored.ETag }), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<Activity>> TakeawaysCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => DiscussionCards.TakeawayForm(p, FormState.Empty, Ids.NewItemId(), await takeaways.ListAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<InvokeResponse> NewTakeawayAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, async (p, _) => InvokeResponse.Card(DiscussionCards.TakeawayForm(p, FormState.Empty, Ids.NewItemId(), await takeaways.ListAsync(action.TenantId, p.Id, cancellationToken).ConfigureAwait(false))), cancellationToken);

    public Task<InvokeResponse> SaveTakeawayAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveTakeawayAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveTakeawayAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];

        // Both cards list what everyone took away so far; with storage down there is no list to show.
        var save = new FormSave<Takeaway>(
            async again => DiscussionCards.TakeawayForm(postmortem, again.State, cardId, again.StorageIsDown ? [] : await takeaways.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false), itemId, again.Newer?.ETag ?? etag),
            async saved => DiscussionCards.TakeawaySaved(postmortem, await takeaways.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false), saved, updated: itemId is not null))
        {
            ConflictBanner = "Someone else changed this takeaway while you were editing it. Your text is kept here: save again to replace their version.",
            Deleted = InvokeResponse.ActionError(404, "NotFound", "This takeaway was removed, so it can't be edited."),
        };
        var author = PostmortemContext.Author(action.Activity);
        var takeaway = new Takeaway
        {
            Id = itemId ?? PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Text = values["text"] ?? string.Empty,
        };
        return await save.SaveAsync(values, [], () => WriteAsync(takeaways, action.TenantId, postmortem, takeaway, itemId, etag, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The domain names the whys by position ("whys[0]"); the form names them why1 to why5.</summary>
    private static string InputIdOf(string field) =>
        field.StartsWith("whys[", StringComparison.Ordinal) && int.TryParse(field.AsSpan(5, field.Length - 6), out int i) ? $"why{i + 1}" : field;
}
