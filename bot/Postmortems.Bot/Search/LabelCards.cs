using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;

namespace Postmortems.Bot.Search;

/// <summary>Services and tags on the summary and status cards, and the search results card of "list &lt;words&gt;".</summary>
public static class LabelCards
{
    public const int MaxResults = 10;

    /// <summary>The two inputs of the summary form, each with the labels already in use under it.</summary>
    public static IEnumerable<CardElement> Inputs(FormState state, LabelSuggestions? inUse)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (id, label, placeholder, used) in new[]
        {
            ("services", "Services or components affected", "Separated by commas, e.g. checkout, payments api", inUse?.Services),
            ("tags", "Tags", "Separated by commas, e.g. config change, capacity", inUse?.Tags),
        })
        {
            foreach (var element in FormCards.Field(FormCards.TextInput(id, label, placeholder, state, (Labels.MaxLength + 2) * Labels.MaxPerList), state))
            {
                yield return element;
            }

            if (used is { Count: > 0 })
            {
                yield return new TextBlock("Used before: " + CardText.Literal(string.Join(", ", used.Take(12)))) { IsSubtle = true, Size = "small", Spacing = "none" };
            }
        }
    }

    /// <summary>Facts for the status card; none when the postmortem has neither.</summary>
    public static IEnumerable<Fact> Facts(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (postmortem.Services.Count > 0)
        {
            yield return new Fact("Services", CardText.Literal(string.Join(", ", postmortem.Services)));
        }

        if (postmortem.Tags.Count > 0)
        {
            yield return new Fact("Tags", CardText.Literal(string.Join(", ", postmortem.Tags)));
        }
    }

    /// <summary>"Seen before in …" with links and the reason of each match; nothing when there is none.</summary>
    public static IEnumerable<CardElement> SeenBefore(IReadOnlyList<Core.Overview.SeenBefore>? matches, Func<string, Uri?>? tabUrl)
    {
        if (matches is not { Count: > 0 })
        {
            yield break;
        }

        yield return new TextBlock("Seen before") { Weight = "bolder", Spacing = "medium" };
        foreach (var match in matches)
        {
            string title = CardText.Literal(match.Title);
            string linked = tabUrl?.Invoke(match.PostmortemId) is { } url ? $"[{title}]({url.AbsoluteUri})" : title;
            yield return new TextBlock($"Seen before in {linked} ({match.Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}): {CardText.Literal(match.Reason)}.") { Size = "small" };
        }
    }

    public static AdaptiveCard SearchResults(string words, SearchPage page, DateOnly today, Func<string, Uri?> tabUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(tabUrl);
        var body = new List<CardElement>
        {
            FormCards.Heading($"Postmortems matching “{CardText.Literal(FormCards.Shorten(words, 80))}”"),
            FormCards.Subtle(page.Total switch
            {
                0 => "None found. Try fewer or shorter words.",
                _ when page.Total > page.Items.Count => $"The {page.Items.Count} most recent of {page.Total}. Search in the tab for all of them, with filters.",
                1 => "One found.",
                _ => $"{page.Total} found, most recent first.",
            }),
        };
        foreach (var row in page.Items)
        {
            string labels = string.Join(", ", row.Services.Concat(row.Tags));
            var item = new List<CardElement>
            {
                new TextBlock(CardText.Literal(row.Title)) { Weight = "bolder" },
                FormCards.Subtle(
                    $"{PostmortemCards.StatusTitle(row.Status)} · {SeverityLabels.Label(row.Severity)} · {row.Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}" +
                    (labels.Length > 0 ? " · " + CardText.Literal(labels) : string.Empty) +
                    (row.HasOverdueActions(today) ? " · has overdue actions" : string.Empty) +
                    $" · id {row.Id}"),
            };
            if (tabUrl(row.Id) is { } url)
            {
                item.Add(new ActionSet([new OpenUrlAction("Open", url)]));
            }

            body.Add(new Container(item) { Separator = true });
        }

        return new AdaptiveCard { Body = body, FallbackText = $"Postmortems matching {FormCards.Shorten(words, 80)}" };
    }
}
