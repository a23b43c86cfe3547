using Postmortems.Bot.Cards;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Forms;

/// <summary>The pieces every form and every saved card is made of, so they look and read alike.</summary>
public static class FormCards
{
    public const string CardIdKey = "cardId";
    public const string PostmortemIdKey = "postmortemId";
    public const string ItemIdKey = "itemId";
    public const string ETagKey = "etag";

    public static TextBlock Heading(string text) => new(text) { Size = "medium", Weight = "bolder", Style = "heading" };

    public static TextBlock Subtle(string text) => new(text) { IsSubtle = true, Spacing = "none" };

    /// <summary>A note at the top of a card: errors in attention colour, everything else as plain text.</summary>
    public static Container Banner(string text, bool isProblem = true) =>
        new([new TextBlock(text) { Weight = "bolder", Color = isProblem ? "attention" : "good" }]) { Style = isProblem ? "attention" : "good" };

    /// <summary>The banner shown on a form when storage is down; the form keeps what the user typed.</summary>
    public const string StorageDownBanner = "Not saved: storage isn't reachable right now. Your text is kept here; please save again in a minute (saving twice never makes a copy).";

    /// <summary>The top of every form: its heading, the postmortem it belongs to, and the banner if there is one.</summary>
    public static List<CardElement> Top(string heading, Postmortem postmortem, FormState state)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        var top = new List<CardElement> { Heading(heading), Subtle(CardText.Literal(postmortem.Title)) };
        if (state.Banner is { } banner)
        {
            top.Add(Banner(banner));
        }

        return top;
    }

    /// <summary>An input followed by its error, if any, so a screen reader reads them together.</summary>
    public static IEnumerable<CardElement> Field(CardInput input, FormState state)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(state);
        yield return input;
        if (input.Id is { } id && state.Error(id) is { } error)
        {
            yield return new TextBlock(error) { Color = "attention", Size = "small", Spacing = "none" };
        }
    }

    /// <summary>The blameless-language notes on a saved card: gentle, never blocking.</summary>
    public static IEnumerable<CardElement> Suggestions(IReadOnlyList<LanguageSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        if (suggestions.Count == 0)
        {
            yield break;
        }

        yield return new Container(
        [
            new TextBlock("A note on wording") { Weight = "bolder" },
            .. suggestions.Select(s => (CardElement)new TextBlock($"“{CardText.Literal(s.Phrase)}”: {s.Suggestion}") { Size = "small" }),
            new TextBlock("It's saved as you wrote it; edit it if you'd like.") { Size = "small", IsSubtle = true },
        ])
        { Style = "emphasis", Spacing = "medium" };
    }

    /// <summary>Card data for a button: the verb's context (card, postmortem, item, version) as strings.</summary>
    public static Dictionary<string, string> Data(string postmortemId, string? cardId = null, string? itemId = null, string? etag = null)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [PostmortemIdKey] = postmortemId };
        if (cardId is not null)
        {
            data[CardIdKey] = cardId;
        }

        if (itemId is not null)
        {
            data[ItemIdKey] = itemId;
        }

        if (etag is not null)
        {
            data[ETagKey] = etag;
        }

        return data;
    }

    /// <summary>The page to show of a list of <paramref name="count"/> items (clamped), and how many pages there are.</summary>
    public static (int Page, int Pages) Paging(int count, int pageSize, int requested)
    {
        int pages = Math.Max(1, (count + pageSize - 1) / pageSize);
        return (Math.Clamp(requested, 0, pages - 1), pages);
    }

    /// <summary>A paged list card's buttons: Previous and Next where there is such a page, then the card's own button.</summary>
    public static List<CardAction> PageButtons(string postmortemId, string pageVerb, int page, int pages, CardAction last)
    {
        var buttons = new List<CardAction>();
        if (page > 0)
        {
            buttons.Add(new ExecuteAction("Previous page", pageVerb) { Data = PageData(postmortemId, page - 1), AssociatedInputs = "none" });
        }

        if (page < pages - 1)
        {
            buttons.Add(new ExecuteAction("Next page", pageVerb) { Data = PageData(postmortemId, page + 1), AssociatedInputs = "none" });
        }

        buttons.Add(last);
        return buttons;
    }

    /// <summary>Card data for a button that keeps the page a list was on.</summary>
    public static Dictionary<string, string> PageData(string postmortemId, int page)
    {
        var data = Data(postmortemId);
        data["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return data;
    }

    /// <summary>The page a paging button asked for; 0 when missing or not a number.</summary>
    public static int PageOf(FormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return int.TryParse(values["page"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int page) ? page : 0;
    }

    /// <summary>Shortens text for lists, so a page of entries stays well under the card size limit.</summary>
    public static string Shorten(string? text, int max = 280) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Length <= max ? text : text[..max].TrimEnd() + "…";

    /// <summary>
    /// A people picker: Teams searches the organisation (the "graph.microsoft.com/users" dataset) and offers
    /// <paramref name="people"/> as choices too, so it works where the search does not. Values and choices are keyed
    /// by Entra object id. Teams shows a chosen person only when a choice has their id, so everyone the state has as
    /// chosen (<see cref="FormState.WithPeople"/>) comes first among the choices, titled with their name; the others
    /// fill the choices up to <paramref name="maxChoices"/>, so the card stays under its size limit.
    /// </summary>
    public static InputChoiceSet PeoplePicker(string id, string label, IEnumerable<Person> people, FormState state, int maxChoices = 50)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(state);
        var chosen = state.PeopleIn(id);
        var others = people.Where(p => !chosen.Any(c => c.ObjectId == p.ObjectId)).Take(Math.Max(0, maxChoices - chosen.Count));
        return new InputChoiceSet
        {
            Id = id,
            Label = label,
            Style = "filtered",
            Choices = [.. chosen.Concat(others).DistinctBy(p => p.ObjectId, StringComparer.Ordinal).Select(p => new Choice(Shorten(p.DisplayName, MaxChoiceTitle), p.ObjectId))],
            ChoicesData = new DataQuery("graph.microsoft.com/users"),
            Value = state.Value(id),
        };
    }

    /// <summary>A person's name as a picker's choice: long enough to tell people apart, short enough for a hundred of them.</summary>
    public const int MaxChoiceTitle = 64;

    /// <summary>A text input showing the state's value, with the product's own length limit as a hint to the client.</summary>
    public static InputText TextInput(string id, string label, string? placeholder, FormState state, int maxLength, bool required = false, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new InputText
        {
            Id = id,
            Label = label,
            Placeholder = placeholder,
            Value = state.Value(id),
            MaxLength = maxLength,
            IsMultiline = multiline ? true : null,
            IsRequired = required ? true : null,
            ErrorMessage = required ? $"Please add {label.ToLowerInvariant()}." : null,
        };
    }
}
