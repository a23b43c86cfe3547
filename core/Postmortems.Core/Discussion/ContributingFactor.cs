using Postmortems.Core.Common;

namespace Postmortems.Core.Discussion;

/// <summary>A condition that made the incident possible or worse. Incidents rarely have a single root cause.</summary>
public sealed record ContributingFactor : PostmortemItem
{
    public required string Text { get; init; }
}
