using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Remediation;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Actions;

public static class ActionCards
{
    public const string SaveVerb = "action.save";
    public const string NewVerb = "action.new";
    public const string EditVerb = "action.edit";
    public const string StatusVerb = "action.status";
    public const string PageVerb = "actions.page";
    public const string UndoFinishVerb = "action.undofinish";
    public const string RemovableKind = "action";
    public const int PageSize = 8;

    /// <summary>Shown when a wish ("be more careful") is refused: what a real action looks like.</summary>
    public const string RealActionExample = "For example: “Add an alert when checkout errors pass 2% for 5 minutes”, or “Run config changes through the canary stage”.";

    private static readonly (ActionStatus Status, string Value, string Title)[] Statuses =
    [
        (ActionStatus.Open, "open", "Open"), (ActionStatus.InProgress, "inProgress", "In progress"),
        (ActionStatus.Done, "done", "Done"), (ActionStatus.WontDo, "wontDo", "Won't do"),
    ];

    private static readonly (ActionPriority Priority, string Value, string Title)[] Priorities =
    [
        (ActionPriority.High, "high", "High"), (ActionPriority.Medium, "medium", "Medium"), (ActionPriority.Low, "low", "Low"),
    ];

    public static ActionPriority? ParsePriority(string? value) => Priorities.Where(p => p.Value == value).Select(p => (ActionPriority?)p.Priority).FirstOrDefault();

    public static string PriorityTitle(ActionPriority priority) => Priorities.First(p => p.Priority == priority).Title;

    public static ActionStatus? ParseStatus(string? value) => Statuses.Where(s => s.Value == value).Select(s => (ActionStatus?)s.Status).FirstOrDefault();

    public static string StatusValue(ActionStatus status) => Statuses.First(s => s.Status == status).Value;

    public static string StatusTitle(ActionStatus status) => Statuses.First(s => s.Status == status).Title;

    /// <summary>
    /// The action form. Input ids: title, category, owner (a people picker whose value is the Entra object id), dueDate.
    /// The chat's members are offered as choices too, so the picker works where the organisation search does not.
    /// </summary>
    public static AdaptiveCard Form(Postmortem postmortem, FormState state, string cardId, IReadOnlyList<Person> members, string? itemId = null, string? etag = null, string? fromIdeaId = null, IReadOnlyList<Core.Discussion.ContributingFactor>? factors = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(members);
        var body = FormCards.Top(itemId is null ? "Add an action" : "Edit an action", postmortem, state);

        body.Add(new TextBlock("A change to a system, a process, a tool or a signal, with one owner and a due date.") { IsSubtle = true, Size = "small" });
        body.AddRange(FormCards.Field(FormCards.TextInput("title", "What will change", "Add an alert when…, Run … through the canary, Document …", state, TextLimits.ActionTitle, required: true), state));
        body.AddRange(FormCards.Field(IdeaCards.CategoryInput(state, "Category (optional)", required: false) with { Style = "compact" }, state));
        body.AddRange(FormCards.Field(
            FormCards.PeoplePicker("owner", "Owner", members, state, maxChoices: 50) with
            {
                IsRequired = true,
                ErrorMessage = "Please choose an owner.",
                Placeholder = "Search for a person",
            },
            state));
        body.AddRange(FormCards.Field(new InputDate { Id = "dueDate", Label = "Due date", IsRequired = true, ErrorMessage = "Please choose a due date.", Value = state.Value("dueDate") }, state));
        body.AddRange(FormCards.Field(
            new InputChoiceSet
            {
                Id = "priority",
                Label = "Priority",
                Style = "compact",
                Choices = Priorities.Select(p => new Choice(p.Title, p.Value)).ToList(),
                Value = state.Value("priority") ?? "medium",
            },
            state));
        body.AddRange(FormCards.Field(FormCards.TextInput("workItemLink", "Link to the work item (optional)", "https://… where the change is tracked", state, WorkItemLinks.MaxLength), state));
        body.AddRange(Analysis.ActionFactors.Input(factors ?? [], state));
        var data = FormCards.Data(postmortem.Id, cardId, itemId, etag);
        if (fromIdeaId is not null)
        {
            data["fromIdea"] = fromIdeaId;
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save action", SaveVerb) { Data = data, AssociatedInputs = "auto" }],
            FallbackText = "Add an action",
        };
    }

    public static AdaptiveCard Saved(Postmortem postmortem, ActionItem action, IReadOnlyList<Core.Language.LanguageSuggestion> suggestions, bool updated)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(action);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner(updated ? "Action updated." : "Action saved.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet(Facts(action, today: null)),
                .. FormCards.Suggestions(suggestions),
            ],
            Actions =
            [
                new ExecuteAction("Edit", EditVerb) { Data = FormCards.Data(postmortem.Id, itemId: action.Id), AssociatedInputs = "none" },
                Items.ItemCards.RemoveButton(postmortem.Id, RemovableKind, action),
                new ExecuteAction("Add another", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                .. WorkItemButton(action),
            ],
            FallbackText = $"Action saved: {action.Title}",
        };
    }

    /// <summary>Open and in-progress actions by due date, overdue ones marked, each with buttons to change its status.</summary>
    /// <param name="finished">An action just marked done or won't do, shown above the list with an Undo.</param>
    public static AdaptiveCard List(Postmortem postmortem, IReadOnlyList<ActionItem> open, int page, DateOnly today, string? banner = null, FinishedAction? finished = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(open);
        (page, int pages) = FormCards.Paging(open.Count, PageSize, page);
        var body = new List<CardElement>
        {
            FormCards.Heading("Open actions"),
            FormCards.Subtle($"{CardText.Literal(postmortem.Title)} · {open.Count} open{(pages > 1 ? $" · page {page + 1} of {pages}" : string.Empty)}"),
        };
        if (banner is not null)
        {
            body.Add(FormCards.Banner(banner));
        }

        if (finished is not null)
        {
            body.Add(FinishedNotice(postmortem, finished, page));
        }

        if (open.Count == 0)
        {
            body.Add(new TextBlock("No open actions. Add one: a change to a system, a process, a tool or a signal."));
        }

        foreach (var action in open.Skip(page * PageSize).Take(PageSize))
        {
            var buttons = new List<CardAction>();
            if (action.Status == ActionStatus.Open)
            {
                buttons.Add(StatusButton(postmortem, action, ActionStatus.InProgress, "Start", page));
            }

            buttons.Add(StatusButton(postmortem, action, ActionStatus.Done, "Done", page));
            buttons.Add(StatusButton(postmortem, action, ActionStatus.WontDo, "Won't do", page));
            buttons.Add(Items.ItemCards.RemoveButton(postmortem.Id, RemovableKind, action));
            buttons.AddRange(WorkItemButton(action));
            body.Add(new Container(
            [
                new TextBlock(CardText.Literal(FormCards.Shorten(action.Title))) { Weight = "bolder" },
                new FactSet(Facts(action, today)),
                new ActionSet(buttons),
            ])
            { Separator = true, Spacing = "medium", Style = ActionItemRules.IsOverdue(action, today) ? "attention" : null });
        }

        var navigation = FormCards.PageButtons(postmortem.Id, PageVerb, page, pages,
            new ExecuteAction("Add action", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" });
        return new AdaptiveCard { Body = body, Actions = navigation, FallbackText = $"Open actions of {postmortem.Title}" };
    }

    public static FormState StateOf(ActionItem action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return FormState.From(new Dictionary<string, string?>
        {
            ["title"] = action.Title,
            ["category"] = action.Category is { } c ? IdeaCards.CategoryValue(c) : null,
            ["dueDate"] = action.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["priority"] = Priorities.First(p => p.Priority == action.Priority).Value,
            ["workItemLink"] = action.WorkItemLink,
            [Analysis.ActionFactors.InputId] = action.FactorIds.Count == 0 ? null : string.Join(",", action.FactorIds),
        }).WithPeople("owner", action.Owner is { } owner ? [owner] : []);
    }

    private static List<Fact> Facts(ActionItem action, DateOnly? today)
    {
        string due = action.DueDate?.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture) ?? "no date";
        if (today is { } t && ActionItemRules.IsOverdue(action, t))
        {
            due += " (overdue)";
        }

        var facts = new List<Fact>();
        if (today is null)
        {
            facts.Add(new Fact("Action", CardText.Literal(action.Title)));
        }

        facts.Add(new Fact("Owner", action.Owner is { } owner ? CardText.Literal(owner.DisplayName) : "nobody yet"));
        facts.Add(new Fact("Due", due));
        facts.Add(new Fact("Status", StatusTitle(action.Status)));
        facts.Add(new Fact("Priority", PriorityTitle(action.Priority)));
        // The list opens the link with its button only; the saved card shows it too.
        if (today is null && action.WorkItemLink is { } link)
        {
            facts.Add(new Fact("Work item", CardText.Literal(FormCards.Shorten(link, 120))));
        }

        if (action.Category is { } category)
        {
            facts.Add(new Fact("Category", IdeaCards.CategoryName(category)));
        }

        if (action.FactorIds.Count > 0)
        {
            facts.Add(new Fact("Addresses", action.FactorIds.Count == 1 ? "1 contributing factor" : $"{action.FactorIds.Count} contributing factors"));
        }

        return facts;
    }

    /// <summary>"Open work item" for an action with a link: only https links are ever stored or read (<see cref="WorkItemLinks"/>).</summary>
    private static IEnumerable<CardAction> WorkItemButton(ActionItem action)
    {
        if (WorkItemLinks.IsSafe(action.WorkItemLink) && Uri.TryCreate(action.WorkItemLink, UriKind.Absolute, out var uri))
        {
            yield return new OpenUrlAction("Open work item", uri);
        }
    }

    private static Container FinishedNotice(Postmortem postmortem, FinishedAction finished, int page)
    {
        var data = FormCards.Data(postmortem.Id, itemId: finished.Action.Id, etag: finished.Action.ETag);
        data["status"] = Statuses.First(s => s.Status == finished.Previous).Value;
        data["page"] = page.ToString(CultureInfo.InvariantCulture);
        string what = finished.Action.Status == ActionStatus.Done ? "Marked done" : "Marked won't do";
        return new Container(
        [
            new TextBlock($"{what}: {CardText.Literal(FormCards.Shorten(finished.Action.Title, 120))}"),
            new ActionSet([new ExecuteAction("Undo", UndoFinishVerb) { Data = data, AssociatedInputs = "none" }]),
        ])
        { Style = "good", Spacing = "medium" };
    }

    private static ExecuteAction StatusButton(Postmortem postmortem, ActionItem action, ActionStatus to, string title, int page)
    {
        var data = FormCards.Data(postmortem.Id, itemId: action.Id, etag: action.ETag);
        data["status"] = Statuses.First(s => s.Status == to).Value;
        data["page"] = page.ToString(CultureInfo.InvariantCulture);
        return new ExecuteAction(title, StatusVerb) { Data = data, AssociatedInputs = "none" };
    }
}

/// <summary>An action just finished from the list (done or won't do), and the status Undo brings it back to.</summary>
public sealed record FinishedAction(ActionItem Action, ActionStatus Previous);
