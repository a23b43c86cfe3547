using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;

namespace Postmortems.Core.Overview;

/// <summary>How the practice is doing over a period (and optionally one service or tag): every figure the overview shows.</summary>
public sealed record OverviewFigures(
    DateOnly From,
    DateOnly To,
    string? Label,
    int Postmortems,
    IReadOnlyList<MonthCount> Months,
    IReadOnlyList<MedianTime> Medians,
    IReadOnlyList<MemberFigures> Members,
    IReadOnlyList<CategoryCount> FactorCategories,
    IReadOnlyList<KindCount> Kinds,
    bool QuickFixesDominate,
    IReadOnlyList<RecurringFactor> RecurringFactors);

/// <summary>Postmortems of one month ("yyyy-MM") by severity.</summary>
public sealed record MonthCount(string Month, IReadOnlyDictionary<Severity, int> BySeverity)
{
    public int Total => BySeverity.Values.Sum();
}

/// <summary>The median time from the incident's start to a moment, over the postmortems that have both; null when none has.</summary>
public sealed record MedianTime(string Measure, double? MedianMinutes, int Postmortems);

public sealed record MemberFigures(string Id, string Name, int Actions, int Done, int Overdue)
{
    /// <summary>Done out of all actions (won't-do ones left out), 0 to 1.</summary>
    public double CompletionRate => Actions == 0 ? 0 : (double)Done / Actions;
}

public sealed record CategoryCount(string Category, int Factors);

public sealed record KindCount(RemediationCategory Kind, int Ideas, int Actions);

/// <summary>A condition that came back: similar factors in several postmortems, and why they count as the same.</summary>
public sealed record RecurringFactor(string Text, IReadOnlyList<PostmortemRef> Postmortems, string Reason);

public sealed record PostmortemRef(string Id, string Title);
