using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Items;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.Analysis;

/// <summary>The "factor" command and the contributing factor form, opened also from the welcome and status cards and from a saved timeline entry.</summary>
public sealed class FactorFeature(
    PostmortemContext context,
    PostmortemItemStore<ContributingFactor> factors,
    PostmortemItemStore<TimelineEntry> timeline,
    TimeProvider time)
{
    private const string Noun = "contributing factor";

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<FactorFeature>();
        services.AddCommand<FactorFeature>("factor", "factor", "Add a contributing factor: a condition in the system that made the incident possible or worse.", f => f.NewFactorCommandAsync, "add factor");
        services.AddCardAction<FactorFeature>(FactorCards.NewVerb, f => f.NewFormAsync);
        services.AddCardAction<FactorFeature>(FactorCards.SaveVerb, f => f.SaveAsync);
        services.AddCardAction<FactorFeature>(FactorCards.EditVerb, f => f.EditAsync);
        services.AddRemovableItem<ContributingFactor>(Noun, f => f.Text);
        return services;
    }

    public Task<IReadOnlyList<Activity>> NewFactorCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => FactorCards.Form(p, FormState.Empty, Ids.NewItemId(), await timeline.ListAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false)), cancellationToken);

    /// <summary>A new factor form; from a timeline entry's button, with that entry linked (only when it is one of this postmortem's).</summary>
    public Task<InvokeResponse> NewFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (p, values) =>
            {
                var entries = await timeline.ListAsync(action.TenantId, p.Id, cancellationToken).ConfigureAwait(false);
                string? from = values[FactorCards.FromEntryKey] is { } id && entries.Any(e => e.Id == id) ? id : null;
                return InvokeResponse.Card(FactorCards.Form(p, FactorCards.StateFromEntry(from), Ids.NewItemId(), entries));
            },
            cancellationToken);

    public Task<InvokeResponse> SaveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    /// <summary>
    /// Adds a factor, or (with the card's item id) replaces the one being edited: the same checks either way (category,
    /// links to this postmortem's entries only, wording), and an edit only by its author or the facilitator.
    /// </summary>
    private async Task<InvokeResponse> SaveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        ContributingFactor? stored = null;
        if (itemId is not null)
        {
            (stored, var refusal) = await ItemEdits.FindEditableAsync(factors, action, postmortem, itemId, Noun, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        var entries = await timeline.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var people = entries.Select(e => e.Actor).Append(postmortem.Facilitator.DisplayName).Append(postmortem.CreatedBy.DisplayName).ToList();
        var save = new FormSave<ContributingFactor>(
            again => FactorCards.Form(postmortem, again.State, cardId, entries, itemId, again.Newer?.ETag ?? etag),
            saved => FactorCards.Saved(postmortem, saved, entries, Wording(saved, people), updated: stored is not null))
        {
            ConflictBannerFor = newer => ItemEdits.ConflictBanner(newer, Noun),
            Deleted = ItemEdits.Gone(Noun),
        };

        var author = PostmortemContext.Author(action.Activity);
        var (factor, errors) = Read(values, postmortem, PostmortemContext.ItemIdFor(cardId, author), author);
        // The form's own note on an unknown choice says it better than the rule's "please choose".
        errors.AddRange(DiscussionRules.Validate(factor).Where(e => !errors.Exists(own => own.Field == e.Field)));
        var foreign = FactorRules.ValidateLinks(factor, [.. entries.Select(e => e.Id)]);
        errors.AddRange(foreign);
        string? banner = foreign.Count > 0 ? "Not saved. " + FactorRules.ForeignEntryMessage : null;
        return await save.SaveAsync(
            values,
            errors,
            () => stored is null
                ? factors.AddAsync(action.TenantId, postmortem, factor, cancellationToken)
                : factors.UpdateAsync(action.TenantId, ItemEdits.Edited(stored, factor, author, etag), cancellationToken),
            banner).ConfigureAwait(false);
    }

    /// <summary>The same form, filled in with the factor as stored, for its author or the facilitator.</summary>
    public Task<InvokeResponse> EditAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var (factor, refusal) = await ItemEdits.FindEditableAsync(factors, action, postmortem, values[FormCards.ItemIdKey], Noun, cancellationToken).ConfigureAwait(false);
                if (factor is null)
                {
                    return refusal!;
                }

                var entries = await timeline.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
                // An entry removed since is no longer offered, so the form drops it rather than refuse it as foreign.
                var linked = factor with { EntryIds = [.. factor.EntryIds.Where(id => entries.Any(e => e.Id == id))] };
                return InvokeResponse.Card(FactorCards.Form(postmortem, FactorCards.StateOf(linked), Ids.NewItemId(), entries, factor.Id, factor.ETag));
            },
            cancellationToken);

    /// <summary>The factor as the form describes it, and what the form's own inputs got wrong (an unknown category or decision).</summary>
    private (ContributingFactor Factor, List<FieldError> Errors) Read(FormValues values, Postmortem postmortem, string id, Person author)
    {
        var errors = new List<FieldError>();
        var category = FactorCategories.Parse(values["category"]);
        if (category is null && values["category"] is not null)
        {
            errors.Add(new FieldError("category", "That category isn't one of the list. Please choose one of them."));
        }

        var decision = values["decision"] switch
        {
            null or FactorCards.OpenValue => FactorDecision.Open,
            FactorCards.AcceptedValue => FactorDecision.AcceptedRisk,
            _ => (FactorDecision?)null,
        };
        if (decision is null)
        {
            errors.Add(new FieldError("decision", "Please choose whether the factor is open or accepted as a risk."));
        }

        var factor = new ContributingFactor
        {
            Id = id,
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Text = values["text"] ?? string.Empty,
            Category = category,
            EntryIds = SplitIds(values["entries"]),
            Decision = decision ?? FactorDecision.Open,
            RiskReason = values["riskReason"],
        };
        return (factor, errors);
    }

    /// <summary>A multi-select's comma-joined ids, each once.</summary>
    public static IReadOnlyList<string> SplitIds(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static IReadOnlyList<LanguageSuggestion> Wording(ContributingFactor factor, IReadOnlyList<string> people) =>
        [.. FactorWording.Check("text", factor.Text, people), .. BlamelessLanguage.Check("riskReason", factor.RiskReason, people)];
}
