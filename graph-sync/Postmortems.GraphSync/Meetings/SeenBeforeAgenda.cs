using System.Globalization;
using Postmortems.Core.Common;
using Postmortems.Core.Overview;

namespace Postmortems.GraphSync.Meetings;

/// <summary>An earlier postmortem that matches this one (<see cref="FactorMatching"/>), and its page in the app, if known.</summary>
public sealed record EarlierPostmortem(SeenBefore Match, Uri? PageLink);

/// <summary>
/// The invite's "Seen before": up to <see cref="PracticeOverview.MaxSeenBefore"/> earlier postmortems whose conditions
/// resemble this one's, each with its date, why it matches and a link to its page, so people can read what was learned
/// then. Titles are folded to one line (<see cref="SingleLineText.Name"/>); all text goes through <see cref="BodyWriter"/>.
/// </summary>
internal static class SeenBeforeAgenda
{
    public static void Section(BodyWriter body, IReadOnlyList<EarlierPostmortem>? earlier, string question)
    {
        if (earlier is not { Count: > 0 })
        {
            return;
        }

        body.Heading(2, "Seen before");
        body.Paragraph("Earlier postmortems with similar conditions. " + question);
        body.LinkedList([.. earlier.Take(PracticeOverview.MaxSeenBefore).Select(e => new LinkedItem(
            SingleLineText.Name(e.Match.Title, "An earlier postmortem"),
            e.PageLink,
            string.Create(CultureInfo.InvariantCulture, $"{e.Match.Date:d MMM yyyy}: {e.Match.Reason}.")))]);
    }
}
