using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Items;

/// <summary>The Remove button every item card carries, and the cards that answer it and its Undo.</summary>
public static class ItemCards
{
    public const string RemoveVerb = "item.remove";
    public const string RestoreVerb = "item.restore";
    public const string KindKey = "kind";

    /// <summary>"Remove" for an item, with the version the card shows: removing a version someone changed since is refused.</summary>
    public static ExecuteAction RemoveButton(string postmortemId, string kind, PostmortemItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ExecuteAction("Remove", RemoveVerb) { Data = Data(postmortemId, kind, item.Id, item.ETag), AssociatedInputs = "none" };
    }

    public static AdaptiveCard Removed(Postmortem postmortem, IRemovableKind kind, PostmortemItem item, ItemTombstone tombstone, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(tombstone);
        string when = TimeZones.InZone(tombstone.RemovedAt, timeZone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner($"The {kind.Noun} was removed. It no longer shows in lists, the tab, the export or the meetings.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet(
                [
                    new Fact(Capitalised(kind.Noun), CardText.Literal(FormCards.Shorten(kind.Describe(item), 200))),
                    new Fact("Written by", CardText.Literal(item.Author.DisplayName)),
                    new Fact("Removed by", $"{CardText.Literal(tombstone.RemovedBy.DisplayName)}, {when}"),
                ]),
            ],
            Actions = [new ExecuteAction("Undo", RestoreVerb) { Data = Data(postmortem.Id, kind.Kind, item.Id, etag: null), AssociatedInputs = "none" }],
            FallbackText = $"The {kind.Noun} was removed.",
        };
    }

    public static AdaptiveCard Restored(Postmortem postmortem, IRemovableKind kind, PostmortemItem item)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(item);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Banner($"The {kind.Noun} is back, as it was.", isProblem: false),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet(
                [
                    new Fact(Capitalised(kind.Noun), CardText.Literal(FormCards.Shorten(kind.Describe(item), 200))),
                    new Fact("Written by", CardText.Literal(item.Author.DisplayName)),
                ]),
            ],
            Actions = [RemoveButton(postmortem.Id, kind.Kind, item)],
            FallbackText = $"The {kind.Noun} is back.",
        };
    }

    private static Dictionary<string, string> Data(string postmortemId, string kind, string itemId, string? etag)
    {
        var data = FormCards.Data(postmortemId, itemId: itemId, etag: etag);
        data[KindKey] = kind;
        return data;
    }

    private static string Capitalised(string noun) => noun.Length == 0 ? noun : char.ToUpperInvariant(noun[0]) + noun[1..];
}
