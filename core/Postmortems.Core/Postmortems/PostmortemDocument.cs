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
    IReadOnlyList<Takeaway> Takeaways);
