using Postmortems.Core.Postmortems;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// The postmortem meeting's prompts for what went well and where we got lucky, with what people noted so far. All text
/// goes through <see cref="BodyWriter"/>, which escapes it for the HTML body and the plain-text one.
/// </summary>
internal static class AnalysisAgenda
{
    private const int MaxShown = 10;

    public static void Prompts(BodyWriter body, PostmortemDocument document)
    {
        Prompt(body, "What went well?", "What helped us detect, respond or recover, and is worth keeping?", [.. document.WentWell.Select(w => w.Text)]);
        Prompt(body, "Where did we get lucky?", "What helped by chance, and may not be there next time?", [.. document.Lucky.Select(l => l.Text)]);
    }

    private static void Prompt(BodyWriter body, string question, string hint, IReadOnlyList<string> noted)
    {
        body.LabelledLine(question, hint);
        if (noted.Count > 0)
        {
            body.BulletList([.. noted.Take(MaxShown)]);
        }
    }
}
