using System.Globalization;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Remediation;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Actions;

/// <summary>The "action" and "actions" commands, the action form and the status buttons.</summary>
public sealed class ActionFeature(
    PostmortemContext context,
    PostmortemItemStore<ActionItem> actions,
    PostmortemItemStore<RemediationIdea> ideas,
    PostmortemItemStore<Core.Discussion.ContributingFactor> factors,
    PeopleDirectory people,
    TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<ActionFeature>();
        services.AddCommand<ActionFeature>("action", "action", "Add an action: a change with an owner and a due date.", f => f.NewActionCommandAsync);
        services.AddCommand<ActionFeature>("actions", "actions", "Show the open actions, and mark them started, done or won't do.", f => f.ActionsCommandAsync);
        services.AddCardAction<ActionFeature>(ActionCards.SaveVerb, f => f.SaveAsync);
        services.AddCardAction<ActionFeature>(ActionCards.NewVerb, f => f.NewFormAsync);
        services.AddCardAction<ActionFeature>(ActionCards.EditVerb, f => f.EditAsync);
        services.AddCardAction<ActionFeature>(ActionCards.StatusVerb, f => f.ChangeStatusAsync);
        services.AddCardAction<ActionFeature>(ActionCards.PageVerb, f => f.PageAsync);
        return services;
    }

    public Task<IReadOnlyList<Activity>> NewActionCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(
            command,
            async p => ActionCards.Form(
                p, FormState.Empty, Ids.NewItemId(), await people.MembersAsync(command.Activity, cancellationToken).ConfigureAwait(false),
                factors: await factors.ListAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    public Task<IReadOnlyList<Activity>> ActionsCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, p => ListCardAsync(command.Activity, command.TenantId, p, 0, null, cancellationToken), cancellationToken);

    /// <summary>A new action form; from an idea's "Turn into an action", prefilled with the idea.</summary>
    public Task<InvokeResponse> NewFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => NewFormAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> NewFormAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        var state = FormState.Empty;
        var known = await factors.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var idea = values["fromIdea"] is { } ideaId ? await ideas.GetAsync(action.TenantId, postmortem.Id, ideaId, cancellationToken).ConfigureAwait(false) : null;
        if (idea is not null)
        {
            state = FormState.From(new Dictionary<string, string?>
            {
                ["title"] = FormCards.Shorten(idea.Text, TextLimits.ActionTitle - 1),
                ["category"] = IdeaCards.CategoryValue(idea.Category),
            });
        }

        if (values[Analysis.ActionFactors.FromFactorKey] is { } factorId && known.Any(f => f.Id == factorId))
        {
            state = FormState.WithErrors(state.Values.With(Analysis.ActionFactors.InputId, factorId), []);
        }

        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Card(ActionCards.Form(postmortem, state, Ids.NewItemId(), members, fromIdeaId: idea?.Id, factors: known));
    }

    public Task<InvokeResponse> EditAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => EditAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> EditAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        var item = values[FormCards.ItemIdKey] is { } itemId
            ? await actions.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false)
            : null;
        if (item is null)
        {
            return InvokeResponse.ActionError(404, "NotFound", "This action no longer exists.");
        }

        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        var known = await factors.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Card(ActionCards.Form(postmortem, ActionCards.StateOf(item), Ids.NewItemId(), members, item.Id, item.ETag, factors: known));
    }

    public Task<InvokeResponse> SaveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        var known = await factors.ListAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var stored = itemId is null ? null : await actions.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        if (itemId is not null && stored is null)
        {
            return Deleted;
        }

        var owner = await OwnerAsync(action.Activity, values, stored, cancellationToken).ConfigureAwait(false);
        var author = PostmortemContext.Author(action.Activity);
        var (draft, errors) = ReadAction(values, postmortem, itemId ?? PostmortemContext.ItemIdFor(cardId, author), author, owner, etag);
        var item = stored is null ? draft : ActionItemRules.Edit(stored, draft, time.GetUtcNow());
        errors.AddRange(ActionItemRules.ValidateSave(stored, item, PostmortemContext.TodayOf(action.Activity, time)));
        errors.AddRange(Core.Analysis.FactorRules.ValidateLinks(item, [.. known.Select(f => f.Id)]));

        // The card comes back showing the owner that was chosen (by Entra object id, with a choice titled with their
        // name), whichever id the client sent.
        var save = new FormSave<ActionItem>(
            again => ActionCards.Form(postmortem, again.State.WithPeople("owner", owner), cardId, members, itemId, again.Newer?.ETag ?? etag, values["fromIdea"], known),
            saved => ActionCards.Saved(postmortem, saved, BlamelessLanguage.Check("title", saved.Title), updated: stored is not null))
        {
            ConflictBanner = "Someone else changed this action while you were editing it. Your changes are kept here: save again to replace their version, or type actions to see it first.",
            Deleted = Deleted,
            StorageDownBanner = "Not saved: storage isn't reachable right now. Your changes are kept here; please save again in a minute (saving twice never makes a copy).",
        };
        string? errorBanner = ActionItemRules.IsWish(item) ? "Not saved yet. " + ActionCards.RealActionExample : null;
        return await save.SaveAsync(values, errors, () => WriteAsync(action.TenantId, postmortem, stored, item, cancellationToken), errorBanner).ConfigureAwait(false);
    }

    private static InvokeResponse Deleted { get; } = InvokeResponse.ActionError(404, "NotFound", "This action was deleted, so it can't be edited.");

    /// <summary>
    /// The owner chosen on the form, at most one: a chat member (Teams sends the Entra object id, the Agents Playground
    /// the member's chat id), the owner already stored, or someone the organisation search found outside this chat.
    /// </summary>
    private async Task<IReadOnlyList<Person>> OwnerAsync(Activity activity, FormValues values, ActionItem? stored, CancellationToken cancellationToken)
    {
        var chosen = await people.ChosenAsync(activity, values["owner"], stored?.Owner is { } was ? [was] : [], "Owner outside this chat", cancellationToken).ConfigureAwait(false);
        return [.. chosen.People.Take(1)];
    }

    /// <summary>The action as the form describes it, new (an edit is applied to the stored one after), and what the form's own inputs got wrong.</summary>
    private (ActionItem Draft, List<FieldError> Errors) ReadAction(FormValues values, Postmortem postmortem, string id, Person author, IReadOnlyList<Person> owner, string? etag)
    {
        var errors = new List<FieldError>();
        var due = ReadDueDate(values, errors);
        var category = ReadCategory(values, errors);
        var draft = new ActionItem
        {
            Id = id,
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            Title = values["title"] ?? string.Empty,
            Category = category,
            Owner = owner.Count > 0 ? owner[0] : null,
            DueDate = due,
            Status = ActionStatus.Open,
            CreatedFromIdeaId = values["fromIdea"],
            FactorIds = Analysis.ActionFactors.Read(values),
            ETag = etag,
        };
        return (draft, errors);
    }

    private static DateOnly? ReadDueDate(FormValues values, List<FieldError> errors)
    {
        if (values["dueDate"] is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
        {
            return due;
        }

        errors.Add(new FieldError("dueDate", "That date doesn't look right. Please pick it from the calendar."));
        return null;
    }

    private static RemediationCategory? ReadCategory(FormValues values, List<FieldError> errors)
    {
        if (values["category"] is not { } text)
        {
            return null;
        }

        var category = IdeaCards.ParseCategory(text);
        if (category is null)
        {
            errors.Add(new FieldError("category", "Please choose a category from the list."));
        }

        return category;
    }

    /// <summary>
    /// Adds a new action or replaces the stored one (with the version the card showed). The store tells the action's
    /// followers (my actions, To Do, the follow-up meeting) itself.
    /// </summary>
    private Task<WriteResult<ActionItem>> WriteAsync(string tenantId, Postmortem postmortem, ActionItem? stored, ActionItem item, CancellationToken cancellationToken) =>
        stored is null
            ? actions.AddAsync(tenantId, postmortem, item, cancellationToken)
            : actions.UpdateAsync(tenantId, item, cancellationToken);

    /// <summary>Start / Done / Won't do on the actions list, with the version the list showed (If-Match).</summary>
    public Task<InvokeResponse> ChangeStatusAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => ChangeStatusAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> ChangeStatusAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        int page = FormCards.PageOf(values);
        var status = ActionCards.ParseStatus(values["status"]);
        var item = values[FormCards.ItemIdKey] is { } itemId ? await actions.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
        if (item is null || status is null)
        {
            return InvokeResponse.Card(await ListCardAsync(action.Activity, action.TenantId, postmortem, page, "That action no longer exists.", cancellationToken).ConfigureAwait(false));
        }

        var (moved, error) = ActionItemRules.MoveTo(item with { ETag = values[FormCards.ETagKey] ?? item.ETag }, status.Value, time.GetUtcNow());
        string? banner = error?.Message;
        if (moved is not null)
        {
            var result = await actions.UpdateAsync(action.TenantId, moved, cancellationToken).ConfigureAwait(false);

            banner = result.Status switch
            {
                WriteStatus.Saved => null,
                WriteStatus.Conflict => "Someone changed that action a moment ago, so nothing was changed. Here is the current list.",
                _ => "That action no longer exists.",
            };
        }

        return InvokeResponse.Card(await ListCardAsync(action.Activity, action.TenantId, postmortem, page, banner, cancellationToken).ConfigureAwait(false));
    }

    public Task<InvokeResponse> PageAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) => InvokeResponse.Card(await ListCardAsync(action.Activity, action.TenantId, postmortem, FormCards.PageOf(values), null, cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    private async Task<Cards.AdaptiveCard> ListCardAsync(Activity activity, string tenantId, Postmortem postmortem, int page, string? banner, CancellationToken cancellationToken)
    {
        var all = await actions.ListAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var open = all.Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress).OrderBy(a => a.DueDate).ThenBy(a => a.CreatedAt).ToList();
        return ActionCards.List(postmortem, open, page, PostmortemContext.TodayOf(activity, time), banner);
    }

}
