using Postmortems.Core.Common;

namespace Postmortems.Core.Analysis;

/// <summary>Something that went well during the incident: worth keeping, and worth saying out loud.</summary>
public sealed record WentWell : PostmortemItem, ITextItem
{
    public required string Text { get; init; }
}

/// <summary>Where the team got lucky: something that helped by chance, so the next incident may not have it.</summary>
public sealed record LuckyBreak : PostmortemItem, ITextItem
{
    public required string Text { get; init; }
}
