namespace Postmortems.Core.Postmortems;

/// <summary>One page of a tenant's postmortems, newest first. Pass <see cref="ContinuationToken"/> back for the next page.</summary>
public sealed record PostmortemPage(IReadOnlyList<Postmortem> Items, string? ContinuationToken);
