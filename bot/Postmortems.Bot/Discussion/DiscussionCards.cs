using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Discussion;

public static class DiscussionCards
{
    public const string WhysSaveVerb = "whys.save";
    public const string WhysNewVerb = "whys.new";
    public const string TakeawaySaveVerb = "takeaway.save";
    public const string TakeawayNewVerb = "takeaway.new";
    public const string WhysEditVerb = "whys.edit";
    public const string TakeawayEditVerb = "takeaway.edit";
    public const string WhysKind = "whys";
    public const string TakeawayKind = "takeaway";

    public static readonly string[] WhyInputs = ["why1", "why2", "why3", "why4", "why5"];

    public static AdaptiveCard WhysForm(Postmortem postmortem, FormState state, string cardId, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        var body = FormCards.Top(itemId is null ? "5 whys" : "Edit a 5 whys chain", postmortem, state);

        body.Add(new TextBlock("Start from what was observed and ask “why?” until you reach something you can change. Incidents rarely have one root cause: start another chain for another branch.") { IsSubtle = true, Size = "small" });
        body.AddRange(FormCards.Field(FormCards.TextInput("problem", "What was observed", "Checkout returned errors for 40 minutes", state, TextLimits.LongText, required: true, multiline: true), state));
        for (int i = 0; i < WhyInputs.Length; i++)
        {
            body.AddRange(FormCards.Field(FormCards.TextInput(WhyInputs[i], $"Why? ({i + 1})", null, state, TextLimits.Why, multiline: true), state));
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save chain", WhysSaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = "5 whys",
        };
    }

    public static FormState WhysStateOf(FiveWhys chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var values = new Dictionary<string, string?> { ["problem"] = chain.Problem };
        for (int i = 0; i < WhyInputs.Length; i++)
        {
            values[WhyInputs[i]] = i < chain.Whys.Count ? chain.Whys[i] : null;
        }

        return FormState.From(values);
    }

    public static AdaptiveCard WhysSaved(Postmortem postmortem, FiveWhys chain, IReadOnlyList<Core.Language.LanguageSuggestion> suggestions, bool updated = false)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(chain);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner(updated ? "5 whys updated." : "5 whys saved.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet([new Fact("Observed", CardText.Literal(chain.Problem)), .. chain.Whys.Select((w, i) => new Fact($"Why {i + 1}", CardText.Literal(w)))]),
                .. FormCards.Suggestions(suggestions),
            ],
            Actions =
            [
                new ExecuteAction("Edit", WhysEditVerb) { Data = FormCards.Data(postmortem.Id, itemId: chain.Id), AssociatedInputs = "none" },
                Items.ItemCards.RemoveButton(postmortem.Id, WhysKind, chain),
                new ExecuteAction("Start another chain", WhysNewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
            ],
            FallbackText = $"5 whys saved: {chain.Problem}",
        };
    }

    public static AdaptiveCard TakeawayForm(Postmortem postmortem, FormState state, string cardId, IReadOnlyList<Takeaway> earlier, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(earlier);
        var body = FormCards.Top("Takeaways", postmortem, state);

        body.AddRange(Earlier(earlier));
        body.AddRange(FormCards.Field(FormCards.TextInput("text", "What did you learn?", "Something that surprised you, or that you'll do differently", state, TextLimits.LongText, required: true, multiline: true), state));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save takeaway", TakeawaySaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = "Takeaways",
        };
    }

    /// <summary>The takeaway just saved, with Edit and Remove for it, and everyone's so far.</summary>
    public static AdaptiveCard TakeawaySaved(Postmortem postmortem, IReadOnlyList<Takeaway> all, Takeaway saved, bool updated = false)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(saved);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner(updated ? "Takeaway updated." : "Takeaway saved. Thank you for sharing it.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet([new Fact("This takeaway", CardText.Literal(FormCards.Shorten(saved.Text, 200)))]),
                .. Earlier(all),
            ],
            Actions =
            [
                new ExecuteAction("Edit", TakeawayEditVerb) { Data = FormCards.Data(postmortem.Id, itemId: saved.Id), AssociatedInputs = "none" },
                Items.ItemCards.RemoveButton(postmortem.Id, TakeawayKind, saved),
                new ExecuteAction("Add another", TakeawayNewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
            ],
            FallbackText = "Takeaway saved",
        };
    }

    /// <summary>The takeaways so far, newest last, shortened so the card stays small however many there are.</summary>
    private static IEnumerable<CardElement> Earlier(IReadOnlyList<Takeaway> takeaways)
    {
        if (takeaways.Count == 0)
        {
            yield break;
        }

        yield return new FactSet(takeaways.OrderBy(t => t.CreatedAt).TakeLast(15).Select(t => new Fact(CardText.Literal(t.Author.DisplayName), CardText.Literal(FormCards.Shorten(t.Text, 200)))).ToList());
        if (takeaways.Count > 15)
        {
            yield return FormCards.Subtle($"And {takeaways.Count - 15} earlier ones.");
        }
    }
}
