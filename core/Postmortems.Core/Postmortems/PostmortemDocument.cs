using Postmortems.Core.Actions;
using Postmortems.Core.Discussion;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;

namespace Postmortems.Core.Postmortems;

/// <summary>A whole postmortem, with its sections in the order of the postmortem document.</summary>
public sealed record PostmortemDocument(
    Postmortem Postmortem,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<RemediationIdea> Ideas,
    IReadOnlyList<ActionItem> Actions,
    IReadOnlyList<FiveWhys> Whys,
    IReadOnlyList<ContributingFactor> ContributingFactors,
    IReadOnlyList<Takeaway> Takeaways)
{
    /// <summary>What went well, oldest first.</summary>
    public IReadOnlyList<Analysis.WentWell> WentWell { get; init; } = [];

    /// <summary>Where the team got lucky, oldest first.</summary>
    public IReadOnlyList<Analysis.LuckyBreak> Lucky { get; init; } = [];
}
