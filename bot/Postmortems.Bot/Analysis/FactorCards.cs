using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.Analysis;

/// <summary>The contributing factor form and its saved card.</summary>
public static class FactorCards
{
    public const string NewVerb = "factor.new";
    public const string SaveVerb = "factor.save";
    public const string EditVerb = "factor.edit";

    /// <summary>The store's kind, carried by the Remove button.</summary>
    public const string RemovableKind = "factor";

    /// <summary>The ids of the risk reason's box and of the button that shows it.</summary>
    public const string RiskReasonBoxId = "riskReasonBox";
    public const string RiskReasonButtonId = "riskReasonButton";

    /// <summary>The card data key of the timeline entry a factor form was opened from (it starts linked).</summary>
    public const string FromEntryKey = "fromEntry";

    /// <summary>The most entries offered as links, newest last, so the card stays well under its size limit.</summary>
    public const int MaxEntryChoices = 40;

    public const string OpenValue = "open";
    public const string AcceptedValue = "accepted";

    /// <param name="itemId">The factor being edited, with the version the form shows (<paramref name="etag"/>); null for a new one.</param>
    public static AdaptiveCard Form(Postmortem postmortem, FormState state, string cardId, IReadOnlyList<TimelineEntry> entries, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entries);
        var body = FormCards.Top(itemId is null ? "Add a contributing factor" : "Edit a contributing factor", postmortem, state);
        body.Add(new TextBlock("A condition in the system that made the incident possible or worse: a process, a tool, a signal, a dependency. Never a person's failing. Incidents rarely have one cause, so add one card per factor.") { IsSubtle = true, Size = "small" });
        body.AddRange(FormCards.Field(FormCards.TextInput("text", "What was the condition?", "The flag had no default and nothing checked it before deploy", state, TextLimits.LongText, required: true, multiline: true), state));
        body.AddRange(FormCards.Field(CategoryInput(state), state));
        if (entries.Count > 0)
        {
            body.AddRange(FormCards.Field(EntriesInput(entries, state), state));
        }
        else
        {
            body.Add(FormCards.Subtle("No timeline entries yet to link; you can add the factor now and link entries later."));
        }

        body.AddRange(FormCards.Field(new InputChoiceSet
        {
            Id = "decision",
            Label = "Where does it stand?",
            Style = "expanded",
            Choices = [new Choice("Open: an action should address it", OpenValue), new Choice("Accepted as a risk: we'll live with it, for a reason", AcceptedValue)],
            Value = state.Value("decision") ?? OpenValue,
        }, state));
        body.AddRange(RiskReason(state));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save factor", SaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = itemId is null ? "Add a contributing factor" : "Edit a contributing factor",
        };
    }

    /// <summary>
    /// The reason for accepting the risk, hidden while the factor is open (most are): a button shows it, and hides
    /// itself. Shown from the start when the factor is accepted, has a reason, or the reason needs fixing. A hidden
    /// input is still sent, so the decision above stays the one place that says where the factor stands.
    /// </summary>
    private static IEnumerable<CardElement> RiskReason(FormState state)
    {
        bool shown = state.Value("decision") == AcceptedValue || !string.IsNullOrEmpty(state.Value("riskReason")) || state.Error("riskReason") is not null;
        var reason = FormCards.TextInput("riskReason", "Why accept the risk? (needed when accepted)", "Rare, low impact, and the fix would cost more than it saves", state, TextLimits.LongText, multiline: true);
        yield return new ActionSet([new ToggleVisibilityAction("Accept as a risk…", [RiskReasonBoxId, RiskReasonButtonId])]) { Id = RiskReasonButtonId, IsVisible = shown ? false : null };
        yield return new Container([.. FormCards.Field(reason, state)]) { Id = RiskReasonBoxId, IsVisible = shown ? null : false, Spacing = "none" };
    }

    public static FormState StateOf(ContributingFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        return FormState.From(new Dictionary<string, string?>
        {
            ["text"] = factor.Text,
            ["category"] = factor.Category is { } c ? FactorCategories.ValueOf(c) : null,
            ["entries"] = factor.EntryIds.Count > 0 ? string.Join(",", factor.EntryIds) : null,
            ["decision"] = factor.Decision == FactorDecision.AcceptedRisk ? AcceptedValue : OpenValue,
            ["riskReason"] = factor.RiskReason,
        });
    }

    /// <summary>The form as opened from a timeline entry: that entry starts linked.</summary>
    public static FormState StateFromEntry(string? entryId) =>
        entryId is null ? FormState.Empty : FormState.From(new Dictionary<string, string?> { ["entries"] = entryId });

    public static AdaptiveCard Saved(Postmortem postmortem, ContributingFactor factor, IReadOnlyList<TimelineEntry> entries, IReadOnlyList<LanguageSuggestion> suggestions, bool updated = false)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(entries);
        var facts = new List<Fact>
        {
            new("Factor", CardText.Literal(factor.Text)),
            new("Category", factor.Category is { } c ? FactorCategories.TitleOf(c) : "none yet"),
            new("Stands", factor.Decision == FactorDecision.AcceptedRisk ? "Accepted as a risk" : "Open: an action should address it"),
        };
        if (factor.Decision == FactorDecision.AcceptedRisk && factor.RiskReason is { } reason)
        {
            facts.Add(new Fact("Why accepted", CardText.Literal(reason)));
        }

        var linked = entries.Where(e => factor.EntryIds.Contains(e.Id, StringComparer.Ordinal)).ToList();
        if (linked.Count > 0)
        {
            facts.Add(new Fact("Shows up in", string.Join("; ", linked.Select(e => CardText.Literal(EntryLabel(e, 80))))));
        }

        facts.Add(new Fact("Added by", CardText.Literal(factor.Author.DisplayName)));
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner(updated ? "Contributing factor updated." : "Contributing factor saved.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet(facts),
                .. FormCards.Suggestions(suggestions),
            ],
            Actions =
            [
                Items.ItemEdits.EditButton(postmortem.Id, EditVerb, factor),
                Items.ItemCards.RemoveButton(postmortem.Id, RemovableKind, factor),
                new ExecuteAction("Add another factor", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add an action for it", Actions.ActionCards.NewVerb) { Data = FromFactorData(postmortem.Id, factor.Id), AssociatedInputs = "none" },
            ],
            FallbackText = $"Contributing factor saved: {factor.Text}",
        };
    }

    /// <summary>Data for the action form opened from a factor: the action starts naming it.</summary>
    public static Dictionary<string, string> FromFactorData(string postmortemId, string factorId)
    {
        var data = FormCards.Data(postmortemId);
        data["fromFactor"] = factorId;
        return data;
    }

    /// <summary>Data for "Add a contributing factor" on a timeline entry: the factor starts linked to it.</summary>
    public static Dictionary<string, string> FromEntryData(string postmortemId, string entryId)
    {
        var data = FormCards.Data(postmortemId);
        data[FromEntryKey] = entryId;
        return data;
    }

    /// <summary>The categories with their one-line hints.</summary>
    public static InputChoiceSet CategoryInput(FormState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new InputChoiceSet
        {
            Id = "category",
            Label = "Category",
            Style = "expanded",
            IsRequired = true,
            ErrorMessage = "Please choose a category.",
            Choices = [.. FactorCategories.All.Select(c => new Choice($"{c.Title}: {c.Hint}", c.Value))],
            Value = state.Value("category"),
        };
    }

    /// <summary>A multi-select of the postmortem's entries (the latest <see cref="MaxEntryChoices"/>, plus any already chosen).</summary>
    private static InputChoiceSet EntriesInput(IReadOnlyList<TimelineEntry> entries, FormState state)
    {
        var chosen = (state.Value("entries") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var offered = entries.OrderBy(e => e.OccurredAt).TakeLast(MaxEntryChoices).ToList();
        offered.AddRange(entries.Where(e => chosen.Contains(e.Id, StringComparer.Ordinal) && !offered.Contains(e)));
        return new InputChoiceSet
        {
            Id = "entries",
            Label = "Timeline entries it shows up in (optional)",
            Style = "expanded",
            IsMultiSelect = true,
            Choices = [.. offered.OrderBy(e => e.OccurredAt).Select(e => new Choice(EntryLabel(e, 100), e.Id))],
            Value = state.Value("entries"),
        };
    }

    /// <summary>An entry in one short line: its time (in its own zone), who or what acted, and what happened.</summary>
    public static string EntryLabel(TimelineEntry entry, int max)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string at = TimeZones.InZone(entry.OccurredAt, entry.TimeZone).ToString("d MMM HH:mm", CultureInfo.InvariantCulture);
        return FormCards.Shorten($"{at} {SingleLineText.Name(entry.Actor, "someone")}: {SingleLineText.Name(entry.Description, string.Empty)}", max);
    }
}
