using Postmortems.Core.Analysis;
using Postmortems.Core.Common;

namespace Postmortems.Core.Discussion;

/// <summary>A condition that made the incident possible or worse. Incidents rarely have a single root cause.</summary>
public sealed record ContributingFactor : PostmortemItem
{
    /// <summary>What the condition was, said as a condition of the system ("the flag was easy to forget").</summary>
    public required string Text { get; init; }

    /// <summary>Required on save; nullable so a form's missing choice (or a factor stored before categories) can be reported.</summary>
    public FactorCategory? Category { get; init; }

    /// <summary>The timeline entries of the same postmortem the factor shows up in.</summary>
    public IReadOnlyList<string> EntryIds { get; init; } = [];

    public FactorDecision Decision { get; init; } = FactorDecision.Open;

    /// <summary>Why the team accepts the risk; required when <see cref="Decision"/> is <see cref="FactorDecision.AcceptedRisk"/>.</summary>
    public string? RiskReason { get; init; }
}
