using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Meetings;

/// <summary>
/// Before the invite goes out: the text it carries (the summary, the customer impact and the timeline entries it
/// quotes) checked for wording that may read as blame, so "He should have checked…" does not reach every attendee's
/// calendar unnoticed. It warns, with the suggestion; it never blocks sending.
/// </summary>
public static class InviteWording
{
    /// <summary>At most this many notes on the card; the rest are counted.</summary>
    public const int MaxNotes = 8;

    public static IReadOnlyList<(string Where, LanguageSuggestion Note)> Check(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        var people = document.Timeline.Select(e => e.Actor).Append(p.Facilitator.DisplayName).Distinct(StringComparer.Ordinal).ToList();
        var notes = new List<(string, LanguageSuggestion)>();
        notes.AddRange(BlamelessLanguage.Check("summary", p.Summary, people).Select(n => ("the summary", n)));
        notes.AddRange(BlamelessLanguage.Check("customerImpact", p.CustomerImpact, people).Select(n => ("the customer impact", n)));
        foreach (var entry in Core.Timeline.TimelineClock.InOrder(document.Timeline).Take(InviteBodies.MaxTimelineEntries))
        {
            var fields = new Dictionary<string, string?>
            {
                ["description"] = entry.Description,
                ["outcome"] = entry.Outcome,
                ["expectations"] = entry.Expectations,
                ["assumptions"] = entry.Assumptions,
            };
            string where = $"the timeline entry of {Core.Timeline.TimelineClock.Format(Core.Common.TimeZones.InZone(entry.OccurredAt, entry.TimeZone))} ({FormCards.Shorten(entry.Actor, 40)})";
            notes.AddRange(BlamelessLanguage.Check(fields, people).Select(n => (where, n)));
        }

        return notes;
    }

    /// <summary>
    /// The preview card with a note at the end naming the earlier postmortems the invite will list under "Seen before"
    /// (read again when it is sent), so the facilitator knows what goes to every attendee; unchanged when there are none.
    /// </summary>
    public static AdaptiveCard WithSeenBefore(AdaptiveCard preview, IReadOnlyList<Core.Overview.SeenBefore> earlier)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Count == 0)
        {
            return preview;
        }

        string titles = string.Join(", ", earlier.Select(e => "“" + CardText.Literal(FormCards.Shorten(Core.Common.SingleLineText.Name(e.Title, "An earlier postmortem"), 60)) + "”"));
        var note = new TextBlock($"The invite also lists, under “Seen before”, earlier postmortems with similar conditions: {titles}.")
        {
            Size = "small",
            IsSubtle = true,
            Spacing = "medium",
        };
        return preview with { Body = [.. preview.Body, note] };
    }

    /// <summary>The preview card with the warning on top, when there is anything to warn about.</summary>
    public static AdaptiveCard WithWarning(AdaptiveCard preview, PostmortemDocument? document)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var notes = document is null ? [] : Check(document);
        if (notes.Count == 0)
        {
            return preview;
        }

        var warning = new Container(
        [
            new TextBlock("Before you send: a note on wording") { Weight = "bolder" },
            new TextBlock("The invite goes to every attendee's calendar, and some of its words may read as blame:") { Size = "small" },
            .. notes.Take(MaxNotes).Select(n => (CardElement)new TextBlock($"In {CardText.Literal(n.Where)}, “{CardText.Literal(n.Note.Phrase)}”: {n.Note.Suggestion}") { Size = "small" }),
            .. notes.Count > MaxNotes ? [new TextBlock($"And {notes.Count - MaxNotes} more.") { Size = "small" }] : Array.Empty<CardElement>(),
            new TextBlock("You can send it as it is, or edit the text first (summary, or the entry's Edit in timeline).") { Size = "small", IsSubtle = true },
        ])
        { Style = "warning", Spacing = "medium" };
        return preview with { Body = [warning, .. preview.Body] };
    }
}
