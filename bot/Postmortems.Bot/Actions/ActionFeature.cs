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
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Actions;

/// <summary>The "action" and "actions" commands, the action form and the status buttons.</summary>
public sealed class ActionFeature(
    PostmortemContext context,
    PostmortemItemStore<ActionItem> actions,
    PostmortemItemStore<RemediationIdea> ideas,
    PeopleDirectory people,
    MeetingScheduler meetings,
    TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<ActionFeature>();
        services.AddSingleton(sp => new BotCommand("action", "action", "Add an action: a change with an owner and a due date.", sp.GetRequiredService<ActionFeature>().NewActionCommandAsync));
        services.AddSingleton(sp => new BotCommand("actions", "actions", "Show the open actions, and mark them started, done or won't do.", sp.GetRequiredService<ActionFeature>().ActionsCommandAsync));
        services.AddSingleton(sp => new CardActionHandler(ActionCards.SaveVerb, sp.GetRequiredService<ActionFeature>().SaveAsync));
        services.AddSingleton(sp => new CardActionHandler(ActionCards.NewVerb, sp.GetRequiredService<ActionFeature>().NewFormAsync));
        services.AddSingleton(sp => new CardActionHandler(ActionCards.EditVerb, sp.GetRequiredService<ActionFeature>().EditAsync));
        services.AddSingleton(sp => new CardActionHandler(ActionCards.StatusVerb, sp.GetRequiredService<ActionFeature>().ChangeStatusAsync));
        services.AddSingleton(sp => new CardActionHandler(ActionCards.PageVerb, sp.GetRequiredService<ActionFeature>().PageAsync));
        return services;
    }

    public Task<IReadOnlyList<Activity>> NewActionCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => ActionCards.Form(p, FormState.Empty, Ids.NewItemId(), await people.MembersAsync(command.Activity, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<IReadOnlyList<Activity>> ActionsCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, p => ListCardAsync(command.Activity, command.TenantId, p, 0, null, cancellationToken), cancellationToken);

    /// <summary>A new action form; from an idea's "Turn into an action", prefilled with the idea.</summary>
    public Task<InvokeResponse> NewFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => NewFormAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> NewFormAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        var state = FormState.Empty;
        var idea = values["fromIdea"] is { } ideaId ? await ideas.GetAsync(action.TenantId, postmortem.Id, ideaId, cancellationToken).ConfigureAwait(false) : null;
        if (idea is not null)
        {
            state = FormState.From(new Dictionary<string, string?>
            {
                ["title"] = FormCards.Shorten(idea.Text, TextLimits.ActionTitle - 1),
                ["category"] = IdeaCards.CategoryValue(idea.Category),
            });
        }

        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Card(ActionCards.Form(postmortem, state, Ids.NewItemId(), members, fromIdeaId: idea?.Id));
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
        return InvokeResponse.Card(ActionCards.Form(postmortem, ActionCards.StateOf(item), Ids.NewItemId(), members, item.Id, item.ETag));
    }

    public Task<InvokeResponse> SaveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Person> chosenOwner = [];

        // The card comes back showing the owner that was chosen (by Entra object id, with a choice titled with their
        // name), whichever id the client sent.
        InvokeResponse Retry(IEnumerable<FieldError> errors, string? banner = null, string? newerETag = null) =>
            InvokeResponse.Card(ActionCards.Form(postmortem, FormState.WithErrors(values, errors, banner: banner).WithPeople("owner", chosenOwner), cardId, members, itemId, newerETag ?? etag, values["fromIdea"]));

        var errors = new List<FieldError>();
        DateOnly? due = null;
        if (values["dueDate"] is { } dueText)
        {
            if (DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                due = parsed;
            }
            else
            {
                errors.Add(new FieldError("dueDate", "That date doesn't look right. Please pick it from the calendar."));
            }
        }

        RemediationCategory? category = null;
        if (values["category"] is { } categoryValue && (category = IdeaCards.ParseCategory(categoryValue)) is null)
        {
            errors.Add(new FieldError("category", "Please choose a category from the list."));
        }

        var author = PostmortemContext.Author(action.Activity);
        var stored = itemId is null ? null : await actions.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        if (itemId is not null && stored is null)
        {
            return InvokeResponse.ActionError(404, "NotFound", "This action was deleted, so it can't be edited.");
        }

        // A chat member (Teams sends the Entra object id, the Agents Playground the member's chat id), the owner already
        // stored, or someone the organisation search found outside this chat.
        chosenOwner = [.. (await people.ChosenAsync(action.Activity, values["owner"], stored?.Owner is { } was ? [was] : [], "Owner outside this chat", cancellationToken).ConfigureAwait(false)).People.Take(1)];
        var owner = chosenOwner.Count > 0 ? chosenOwner[0] : null;

        var item = new ActionItem
        {
            Id = itemId ?? PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = stored?.Author ?? author,
            CreatedAt = stored?.CreatedAt ?? time.GetUtcNow(),
            Title = values["title"] ?? string.Empty,
            Category = category,
            Owner = owner,
            DueDate = due,
            Status = stored?.Status ?? ActionStatus.Open,
            CreatedFromIdeaId = stored?.CreatedFromIdeaId ?? values["fromIdea"],
            UpdatedAt = stored is null ? null : time.GetUtcNow(),
            ETag = etag ?? stored?.ETag,
        };

        // A due date is checked against the user's today only when it is set or changed.
        bool dueDateIsBeingSet = stored is null || stored.DueDate != item.DueDate;
        errors.AddRange(ActionItemRules.Validate(item, PostmortemContext.TodayOf(action.Activity, time), dueDateIsBeingSet));
        if (errors.Count > 0)
        {
            string? banner = errors.Any(e => e.Message.Contains("asks people to try harder", StringComparison.Ordinal))
                ? "Not saved yet. " + ActionCards.RealActionExample
                : null;
            return Retry(errors, banner);
        }

        try
        {
            var result = stored is null
                ? await actions.AddAsync(action.TenantId, postmortem, item, cancellationToken).ConfigureAwait(false)
                : await actions.UpdateAsync(action.TenantId, item, cancellationToken).ConfigureAwait(false);
            if (result.Status == WriteStatus.Saved)
            {
                await ActionsChangedAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
            }

            return result.Status switch
            {
                WriteStatus.Saved or WriteStatus.AlreadyExists => InvokeResponse.Card(ActionCards.Saved(postmortem, result.Value!, BlamelessLanguage.Check("title", result.Value!.Title), updated: stored is not null)),
                WriteStatus.Invalid => Retry(result.Errors),
                WriteStatus.Conflict => Retry([], "Someone else changed this action while you were editing it. Your changes are kept here: save again to replace their version, or type actions to see it first.", result.Value?.ETag),
                _ => InvokeResponse.ActionError(404, "NotFound", "This action was deleted, so it can't be edited."),
            };
        }
        catch (StorageUnavailableException) when (StorageRequest.NothingSavedYet)
        {
            return Retry([], "Not saved: storage isn't reachable right now. Your changes are kept here; please save again in a minute (saving twice never makes a copy).");
        }
    }

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
            if (result.Status == WriteStatus.Saved)
            {
                await ActionsChangedAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
            }

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

    /// <summary>
    /// Keeps the follow-up meeting's list of actions current. The action is already saved, so an outage here only
    /// delays the refresh until the next change; it is not reported as a failed save.
    /// </summary>
    private async Task ActionsChangedAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        try
        {
            await meetings.ActionsChangedAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
        }
    }

}
