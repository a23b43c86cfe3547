using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
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
        var save = new FormSave<FiveWhys>(
            again => DiscussionCards.WhysForm(postmortem, again.State, cardId),
            saved => DiscussionCards.WhysSaved(postmortem, saved, BlamelessLanguage.Check([new("problem", saved.Problem), .. saved.Whys.Select((w, i) => new KeyValuePair<string, string?>($"why{i + 1}", w))])))
        {
            InputIdOf = InputIdOf,
        };

        var author = PostmortemContext.Author(action.Activity);
        var chain = new FiveWhys
        {
            Id = PostmortemContext.ItemIdFor(cardId, author),
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

        return await save.SaveAsync(values, errors, () => whys.AddAsync(action.TenantId, postmortem, chain, cancellationToken)).ConfigureAwait(false);
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

        // Both cards list what everyone took away so far; with storage down there is no list to show.
        var save = new FormSave<Takeaway>(
            async again => DiscussionCards.TakeawayForm(postmortem, again.State, cardId, again.StorageIsDown ? [] : await takeaways.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false)),
            async _ => DiscussionCards.TakeawaySaved(postmortem, await takeaways.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false)));
        var author = PostmortemContext.Author(action.Activity);
        var takeaway = new Takeaway
        {
            Id = PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Text = values["text"] ?? string.Empty,
        };
        return await save.SaveAsync(values, [], () => takeaways.AddAsync(action.TenantId, postmortem, takeaway, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The domain names the whys by position ("whys[0]"); the form names them why1 to why5.</summary>
    private static string InputIdOf(string field) =>
        field.StartsWith("whys[", StringComparison.Ordinal) && int.TryParse(field.AsSpan(5, field.Length - 6), out int i) ? $"why{i + 1}" : field;
}
