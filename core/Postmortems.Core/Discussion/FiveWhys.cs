using Postmortems.Core.Common;

namespace Postmortems.Core.Discussion;

/// <summary>A "5 whys" chain: a problem and up to five successive answers to "why?".</summary>
public sealed record FiveWhys : PostmortemItem
{
    /// <summary>The observed problem the chain starts from.</summary>
    public required string Problem { get; init; }

    public IReadOnlyList<string> Whys { get; init; } = [];
}
