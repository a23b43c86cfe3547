namespace Postmortems.Core.Analysis;

/// <summary>What the team decided about a factor. "Addressed" is not a decision: it follows from an action naming the factor.</summary>
public enum FactorDecision
{
    Open = 0,

    /// <summary>The team knowingly lives with it, for a reason it writes down.</summary>
    AcceptedRisk = 1,
}

/// <summary>Where a factor stands, derived from its decision and the actions that name it.</summary>
public enum FactorState
{
    Open = 0,
    Addressed = 1,
    AcceptedRisk = 2,
}
