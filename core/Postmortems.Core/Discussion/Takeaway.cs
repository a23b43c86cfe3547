using Postmortems.Core.Common;

namespace Postmortems.Core.Discussion;

/// <summary>Something a participant learned.</summary>
public sealed record Takeaway : PostmortemItem, ITextItem
{
    public required string Text { get; init; }
}
