using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Analysis;

/// <summary>One of the two short lists: its words and its buttons' verbs.</summary>
public sealed record NoteList(string Heading, string Label, string Placeholder, string SavedBanner, string NewVerb, string SaveVerb, string AddTitle, string EditVerb, string Noun)
{
    public static NoteList WentWell { get; } = new(
        "What went well",
        "What went well?",
        "The alert fired within a minute; support had a status page up fast",
        "Saved. Worth keeping, and worth saying out loud.",
        "wentwell.new",
        "wentwell.save",
        "What went well",
        "wentwell.edit",
        "note on what went well");

    public static NoteList Lucky { get; } = new(
        "Where we got lucky",
        "Where did we get lucky?",
        "It happened at 10am, when the one person who knew the cache was at their desk",
        "Saved. Luck won't be there next time, so this is worth a look.",
        "lucky.new",
        "lucky.save",
        "Where we got lucky",
        "lucky.edit",
        "note on where we got lucky");
}

/// <summary>One item of a short list as the cards show it.</summary>
public sealed record NoteLine(Person Author, string Text, DateTimeOffset CreatedAt)
{
    public static NoteLine From(WentWell item) => new(item.Author, item.Text, item.CreatedAt);

    public static NoteLine From(LuckyBreak item) => new(item.Author, item.Text, item.CreatedAt);
}

public static class NoteCards
{
    private const int Shown = 15;

    /// <param name="itemId">The note being edited, with the version the form shows (<paramref name="etag"/>); null for a new one.</param>
    public static AdaptiveCard Form(NoteList list, Postmortem postmortem, FormState state, string cardId, IReadOnlyList<NoteLine> earlier, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(earlier);
        var body = FormCards.Top(itemId is null ? list.Heading : $"Edit a {list.Noun}", postmortem, state);
        body.AddRange(Earlier(earlier));
        body.AddRange(FormCards.Field(FormCards.TextInput("text", list.Label, list.Placeholder, state, AnalysisNoteRules.MaxLength, required: true, multiline: true), state));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save", list.SaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = list.Heading,
        };
    }

    /// <param name="saved">The note just saved and its store's kind, for its Edit and Remove buttons; null for none.</param>
    public static AdaptiveCard Saved(NoteList list, Postmortem postmortem, IReadOnlyList<NoteLine> all, (string Kind, PostmortemItem Item)? saved = null, bool updated = false)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(all);
        return new AdaptiveCard
        {
            Body = [FormCards.Banner(updated ? "Updated." : list.SavedBanner, isProblem: false), FormCards.Subtle($"{list.Heading} · {CardText.Literal(postmortem.Title)}"), .. Earlier(all)],
            Actions =
            [
                .. saved is { } s ? [Items.ItemEdits.EditButton(postmortem.Id, list.EditVerb, s.Item), Items.ItemCards.RemoveButton(postmortem.Id, s.Kind, s.Item)] : Array.Empty<CardAction>(),
                new ExecuteAction("Add another", list.NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
            ],
            FallbackText = list.SavedBanner,
        };
    }

    /// <summary>The list so far, newest last, each with its author, shortened so the card stays small.</summary>
    private static IEnumerable<CardElement> Earlier(IReadOnlyList<NoteLine> lines)
    {
        if (lines.Count == 0)
        {
            yield break;
        }

        yield return new FactSet([.. lines.OrderBy(l => l.CreatedAt).TakeLast(Shown).Select(l => new Fact(CardText.Literal(l.Author.DisplayName), CardText.Literal(FormCards.Shorten(l.Text, 200))))]);
        if (lines.Count > Shown)
        {
            yield return FormCards.Subtle($"And {lines.Count - Shown} earlier ones.");
        }
    }
}
