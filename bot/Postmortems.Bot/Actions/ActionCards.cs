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
    public const int PageSize = 8;

    /// <summary>Shown when a wish ("be more careful") is refused: what a real action looks like.</summary>
    public const string RealActionExample = "For example: “Add an alert when checkout errors pass 2% for 5 minutes”, or “Run config changes through the canary stage”.";

    private static readonly (ActionStatus Status, string Value, string Title)[] Statuses =
    [
        (ActionStatus.Open, "open", "Open"), (ActionStatus.InProgress, "inProgress", "In progress"),
        (ActionStatus.Done, "done", "Done"), (ActionStatus.WontDo, "wontDo", "Won't do"),
    ];

    public static ActionStatus? ParseStatus(string? value) => Statuses.Where(s => s.Value == value).Select(s => (ActionStatus?)s.Status).FirstOrDefault();

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
                new ExecuteAction("Add another", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
            ],
            FallbackText = $"Action saved: {action.Title}",
        };
    }

    /// <summary>Open and in-progress actions by due date, overdue ones marked, each with buttons to change its status.</summary>
    public static AdaptiveCard List(Postmortem postmortem, IReadOnlyList<ActionItem> open, int page, DateOnly today, string? banner = null)
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

    private static ExecuteAction StatusButton(Postmortem postmortem, ActionItem action, ActionStatus to, string title, int page)
    {
        var data = FormCards.Data(postmortem.Id, itemId: action.Id, etag: action.ETag);
        data["status"] = Statuses.First(s => s.Status == to).Value;
        data["page"] = page.ToString(CultureInfo.InvariantCulture);
        return new ExecuteAction(title, StatusVerb) { Data = data, AssociatedInputs = "none" };
    }
}
