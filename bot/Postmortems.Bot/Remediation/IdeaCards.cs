using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;

namespace Postmortems.Bot.Remediation;

public static class IdeaCards
{
    public const string SaveVerb = "idea.save";
    public const string NewVerb = "idea.new";
    public const string EditVerb = "idea.edit";
    public const string RemovableKind = "idea";

    /// <summary>The card values of the categories, as the product's contract names them, with the question each asks.</summary>
    public static readonly (RemediationCategory Category, string Value, string Title)[] Categories =
    [
        (RemediationCategory.Detect, "detect", "Detect: how do we find this sooner, before a customer does?"),
        (RemediationCategory.React, "react", "React: how do we respond faster and in a more organised way?"),
        (RemediationCategory.QuickFix, "quickfix", "Quick fix: how do we stop the bleeding faster next time?"),
        (RemediationCategory.Prevent, "prevent", "Prevent: how do we prevent it or reduce its impact?"),
        (RemediationCategory.OtherAreasOfRisk, "risk", "Other areas of risk: where else do the same assumptions stand?"),
    ];

    public static RemediationCategory? ParseCategory(string? value) =>
        Categories.Where(c => c.Value == value).Select(c => (RemediationCategory?)c.Category).FirstOrDefault();

    public static string CategoryValue(RemediationCategory category) => Categories.First(c => c.Category == category).Value;

    public static string CategoryName(RemediationCategory category) => Categories.First(c => c.Category == category).Title.Split(':')[0];

    public static InputChoiceSet CategoryInput(FormState state, string label, bool required)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new InputChoiceSet
        {
            Id = "category",
            Label = label,
            Style = "expanded",
            IsRequired = required ? true : null,
            ErrorMessage = required ? "Please choose a category." : null,
            Choices = Categories.Select(c => new Choice(c.Title, c.Value)).ToList(),
            Value = state.Value("category"),
        };
    }

    public static AdaptiveCard Form(Postmortem postmortem, FormState state, string cardId, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        var body = FormCards.Top(itemId is null ? "Add a remediation idea" : "Edit a remediation idea", postmortem, state);

        body.AddRange(FormCards.Field(CategoryInput(state, "Which question does it answer?", required: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("text", "The idea", "No idea is too small; the meeting turns the best ones into actions", state, TextLimits.LongText, required: true, multiline: true), state));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save idea", SaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = "Add a remediation idea",
        };
    }

    public static FormState StateOf(RemediationIdea idea)
    {
        ArgumentNullException.ThrowIfNull(idea);
        return FormState.From(new Dictionary<string, string?> { ["category"] = CategoryValue(idea.Category), ["text"] = idea.Text });
    }

    public static AdaptiveCard Saved(Postmortem postmortem, RemediationIdea idea, IReadOnlyList<Core.Language.LanguageSuggestion> suggestions, bool updated = false)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(idea);
        var data = FormCards.Data(postmortem.Id);
        data["fromIdea"] = idea.Id;
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner(updated ? "Idea updated." : "Idea saved.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet([new Fact("Category", CategoryName(idea.Category)), new Fact("Idea", CardText.Literal(idea.Text)), new Fact("Added by", CardText.Literal(idea.Author.DisplayName))]),
                .. FormCards.Suggestions(suggestions),
            ],
            Actions =
            [
                new ExecuteAction("Edit", EditVerb) { Data = FormCards.Data(postmortem.Id, itemId: idea.Id), AssociatedInputs = "none" },
                Items.ItemCards.RemoveButton(postmortem.Id, RemovableKind, idea),
                new ExecuteAction("Add another", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Turn into an action", Actions.ActionCards.NewVerb) { Data = data, AssociatedInputs = "none" },
            ],
            FallbackText = $"Idea saved: {idea.Text}",
        };
    }
}
