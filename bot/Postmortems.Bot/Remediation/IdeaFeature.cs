using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Items;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Remediation;

/// <summary>The "idea" command and the remediation idea form.</summary>
public sealed class IdeaFeature(PostmortemContext context, PostmortemItemStore<RemediationIdea> ideas, TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<IdeaFeature>();
        services.AddCommand<IdeaFeature>("idea", "idea", "Add a remediation idea: detect, react, quick fix, prevent, or other areas of risk.", f => f.NewIdeaCommandAsync);
        services.AddCardAction<IdeaFeature>(IdeaCards.SaveVerb, f => f.SaveAsync);
        services.AddCardAction<IdeaFeature>(IdeaCards.NewVerb, f => f.NewFormAsync);
        services.AddCardAction<IdeaFeature>(IdeaCards.EditVerb, f => f.EditAsync);
        services.AddRemovableItem<RemediationIdea>("idea", i => i.Text);
        return services;
    }

    public Task<IReadOnlyList<Activity>> NewIdeaCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, p => IdeaCards.Form(p, FormState.Empty, Ids.NewItemId()), cancellationToken);

    public Task<InvokeResponse> NewFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (p, _) => InvokeResponse.Card(IdeaCards.Form(p, FormState.Empty, Ids.NewItemId())), cancellationToken);

    public Task<InvokeResponse> SaveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        var save = new FormSave<RemediationIdea>(
            again => IdeaCards.Form(postmortem, again.State, cardId, itemId, again.Newer?.ETag ?? etag),
            saved => IdeaCards.Saved(postmortem, saved, BlamelessLanguage.Check("text", saved.Text), updated: itemId is not null))
        {
            ConflictBanner = "Someone else changed this idea while you were editing it. Your text is kept here: save again to replace their version.",
            Deleted = Deleted,
        };

        var category = IdeaCards.ParseCategory(values["category"]);
        var author = PostmortemContext.Author(action.Activity);
        var idea = new RemediationIdea
        {
            Id = itemId ?? PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Category = category ?? RemediationCategory.OtherAreasOfRisk,
            Text = values["text"] ?? string.Empty,
        };
        var errors = RemediationIdeaRules.Validate(idea).ToList();
        if (category is null)
        {
            errors.Add(new FieldError("category", "Please choose which question the idea answers."));
        }

        return await save.SaveAsync(values, errors, () => WriteAsync(action.TenantId, postmortem, idea, itemId, etag, cancellationToken)).ConfigureAwait(false);
    }

    private static InvokeResponse Deleted { get; } = InvokeResponse.ActionError(404, "NotFound", "This idea was removed, so it can't be edited.");

    /// <summary>Adds a new idea; an edit replaces the stored one (with the version the card showed) and keeps who first wrote it and when.</summary>
    private async Task<WriteResult<RemediationIdea>> WriteAsync(string tenantId, Postmortem postmortem, RemediationIdea idea, string? itemId, string? etag, CancellationToken cancellationToken)
    {
        if (itemId is null)
        {
            return await ideas.AddAsync(tenantId, postmortem, idea, cancellationToken).ConfigureAwait(false);
        }

        var stored = await ideas.GetAsync(tenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? WriteResult<RemediationIdea>.NotFound()
            : await ideas.UpdateAsync(tenantId, idea with { Author = stored.Author, CreatedAt = stored.CreatedAt, ETag = etag ?? stored.ETag }, cancellationToken).ConfigureAwait(false);
    }

    public Task<InvokeResponse> EditAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var idea = values[FormCards.ItemIdKey] is { } itemId ? await ideas.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
                return idea is null
                    ? InvokeResponse.ActionError(404, "NotFound", "This idea no longer exists.")
                    : InvokeResponse.Card(IdeaCards.Form(postmortem, IdeaCards.StateOf(idea), Ids.NewItemId(), idea.Id, idea.ETag));
            },
            cancellationToken);
}
