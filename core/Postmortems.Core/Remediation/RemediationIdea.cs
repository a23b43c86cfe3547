using Postmortems.Core.Common;

namespace Postmortems.Core.Remediation;

public sealed record RemediationIdea : PostmortemItem
{
    public required RemediationCategory Category { get; init; }

    public required string Text { get; init; }
}
