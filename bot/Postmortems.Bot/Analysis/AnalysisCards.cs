using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Analysis;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Analysis;

/// <summary>The analysis at a glance, as a section of the status card: factors by category with their state, the two short lists, and what is missing.</summary>
public static class AnalysisCards
{
    private const int MaxFactors = 20;
    private const int MaxNotes = 8;
    private const int MaxMissing = 8;

    public static IEnumerable<CardElement> Section(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var items = new List<CardElement> { new TextBlock("Contributing factors") { Weight = "bolder" } };
        if (document.ContributingFactors.Count == 0)
        {
            items.Add(FormCards.Subtle("None yet."));
        }

        var shown = document.ContributingFactors.Take(MaxFactors).ToList();
        foreach (var group in shown.GroupBy(f => f.Category).OrderBy(g => g.Key ?? (FactorCategory)int.MaxValue))
        {
            items.Add(new TextBlock(group.Key is { } c ? FactorCategories.TitleOf(c) : "No category yet") { Size = "small", Weight = "bolder", Spacing = "small" });
            items.Add(new FactSet([.. group.Select(f => new Fact(StateLabel(FactorRules.StateOf(f, document.Actions)), CardText.Literal(FormCards.Shorten(f.Text, 160))))]) { Spacing = "none" });
        }

        if (document.ContributingFactors.Count > MaxFactors)
        {
            items.Add(FormCards.Subtle($"And {document.ContributingFactors.Count - MaxFactors} more: the tab shows them all."));
        }

        items.AddRange(Notes("What went well", document.WentWell.Select(w => (w.Author.DisplayName, w.Text)).ToList()));
        items.AddRange(Notes("Where we got lucky", document.Lucky.Select(l => (l.Author.DisplayName, l.Text)).ToList()));

        var missing = WhatIsMissing.Find(document);
        if (missing.Count > 0)
        {
            items.Add(new Container(
            [
                new TextBlock("What is missing") { Weight = "bolder" },
                .. missing.Take(MaxMissing).Select(m => (CardElement)new TextBlock("• " + CardText.Literal(m.Text)) { Size = "small", Spacing = "none" }),
                .. missing.Count > MaxMissing ? [FormCards.Subtle($"And {missing.Count - MaxMissing} more.")] : Array.Empty<CardElement>(),
            ])
            { Style = "warning", Spacing = "medium" });
        }

        items.Add(new ActionSet(
        [
            new ExecuteAction("Add a contributing factor", FactorCards.NewVerb) { Data = FormCards.Data(document.Postmortem.Id), AssociatedInputs = "none" },
            new ExecuteAction("What went well", NoteList.WentWell.NewVerb) { Data = FormCards.Data(document.Postmortem.Id), AssociatedInputs = "none" },
            new ExecuteAction("Where we got lucky", NoteList.Lucky.NewVerb) { Data = FormCards.Data(document.Postmortem.Id), AssociatedInputs = "none" },
        ]));
        return [new Container(items) { Separator = true, Spacing = "medium" }];
    }

    /// <summary>On the welcome card: the analysis, after the timeline, with its own button (the card's own row of buttons is full).</summary>
    public static IEnumerable<CardElement> WelcomePrompt(string postmortemId)
    {
        yield return new TextBlock("Then name the contributing factors: conditions in the system that made this possible or worse, each addressed by an action or accepted as a risk. Note what went well and where you got lucky too.") { Size = "small" };
        yield return new ActionSet([new ExecuteAction("Add a contributing factor", FactorCards.NewVerb) { Data = FormCards.Data(postmortemId), AssociatedInputs = "none" }]);
    }

    public static string StateLabel(FactorState state) => state switch
    {
        FactorState.Addressed => "Addressed",
        FactorState.AcceptedRisk => "Accepted risk",
        _ => "Open",
    };

    private static IEnumerable<CardElement> Notes(string heading, IReadOnlyList<(string Author, string Text)> notes)
    {
        yield return new TextBlock(heading) { Weight = "bolder", Spacing = "medium" };
        if (notes.Count == 0)
        {
            yield return FormCards.Subtle("Nothing yet.");
            yield break;
        }

        yield return new FactSet([.. notes.TakeLast(MaxNotes).Select(n => new Fact(CardText.Literal(n.Author), CardText.Literal(FormCards.Shorten(n.Text, 160))))]) { Spacing = "none" };
        if (notes.Count > MaxNotes)
        {
            yield return FormCards.Subtle($"And {notes.Count - MaxNotes} earlier ones.");
        }
    }
}
