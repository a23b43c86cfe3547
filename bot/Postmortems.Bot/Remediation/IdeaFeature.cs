using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
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
        var save = new FormSave<RemediationIdea>(
            again => IdeaCards.Form(postmortem, again.State, cardId),
            saved => IdeaCards.Saved(postmortem, saved, BlamelessLanguage.Check("text", saved.Text)));

        var category = IdeaCards.ParseCategory(values["category"]);
        var author = PostmortemContext.Author(action.Activity);
        var idea = new RemediationIdea
        {
            Id = PostmortemContext.ItemIdFor(cardId, author),
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

        return await save.SaveAsync(values, errors, () => ideas.AddAsync(action.TenantId, postmortem, idea, cancellationToken)).ConfigureAwait(false);
    }
}
