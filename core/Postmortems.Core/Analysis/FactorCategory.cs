namespace Postmortems.Core.Analysis;

/// <summary>
/// Where in the system a contributing factor sits. The list follows the practice: conditions in process, tooling,
/// detection, dependencies, capacity, change, knowledge and coordination; never a person's failing.
/// </summary>
public enum FactorCategory
{
    DetectionAndMonitoring = 0,
    ProcessAndReview = 1,
    ToolingAndAutomation = 2,
    DependenciesAndThirdParties = 3,
    Capacity = 4,
    ChangeAndDeployment = 5,
    KnowledgeAndDocumentation = 6,
    CommunicationAndCoordination = 7,
}

/// <summary>The categories as cards, the tab and the export name them: a stable value, a title and a one-line hint.</summary>
public static class FactorCategories
{
    public static IReadOnlyList<(FactorCategory Category, string Value, string Title, string Hint)> All { get; } =
    [
        (FactorCategory.DetectionAndMonitoring, "detection", "Detection and monitoring", "Signals that were missing, late, noisy or hard to read."),
        (FactorCategory.ProcessAndReview, "process", "Process and review", "Steps, checks or reviews that let the problem through."),
        (FactorCategory.ToolingAndAutomation, "tooling", "Tooling and automation", "Tools that made the wrong thing easy or the right thing hard."),
        (FactorCategory.DependenciesAndThirdParties, "dependencies", "Dependencies and third parties", "Services, libraries or vendors we rely on and how we rely on them."),
        (FactorCategory.Capacity, "capacity", "Capacity", "Load, limits, quotas, and people's time and attention."),
        (FactorCategory.ChangeAndDeployment, "change", "Change and deployment", "How changes are made, rolled out and rolled back."),
        (FactorCategory.KnowledgeAndDocumentation, "knowledge", "Knowledge and documentation", "What was hard to know: runbooks, docs, context held by few."),
        (FactorCategory.CommunicationAndCoordination, "communication", "Communication and coordination", "Hand-offs, escalation, and who knew what when."),
    ];

    /// <summary>The category a card or request names by its value ("tooling"); null for anything else, case and spaces included.</summary>
    public static FactorCategory? Parse(string? value)
    {
        foreach (var c in All)
        {
            if (string.Equals(c.Value, value, StringComparison.Ordinal))
            {
                return c.Category;
            }
        }

        return null;
    }

    public static string ValueOf(FactorCategory category) => Find(category).Value;

    public static string TitleOf(FactorCategory category) => Find(category).Title;

    public static string HintOf(FactorCategory category) => Find(category).Hint;

    private static (FactorCategory Category, string Value, string Title, string Hint) Find(FactorCategory category)
    {
        foreach (var c in All)
        {
            if (c.Category == category)
            {
                return c;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(category), category, "Not a factor category.");
    }
}
