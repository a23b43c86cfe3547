namespace Postmortems.Core.Postmortems;

/// <summary>How a severity is named to people, the same in the cards, the invite and the Markdown export.</summary>
public static class SeverityLabels
{
    /// <summary>Every severity with its label, most severe first after "not set": the order of the cards' choices.</summary>
    public static IReadOnlyList<(Severity Severity, string Label)> All { get; } =
    [
        (Severity.NotSet, "Not set yet"), (Severity.Sev1, "Sev 1 (critical)"), (Severity.Sev2, "Sev 2 (major)"),
        (Severity.Sev3, "Sev 3 (minor)"), (Severity.Sev4, "Sev 4 (low)"),
    ];

    /// <summary>"Sev 2 (major)"; "Not set yet" for <see cref="Severity.NotSet"/> and for a value that is not defined.</summary>
    public static string Label(Severity severity)
    {
        foreach (var (value, label) in All)
        {
            if (value == severity)
            {
                return label;
            }
        }

        return All[0].Label;
    }
}
