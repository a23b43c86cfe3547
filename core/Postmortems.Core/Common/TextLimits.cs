namespace Postmortems.Core.Common;

/// <summary>
/// The product's own length limits, far below Table Storage's (64 KiB per string, 1 MiB per entity),
/// so a whole postmortem item always fits in one entity and in one Adaptive Card.
/// </summary>
public static class TextLimits
{
    public const int Title = 200;
    public const int Name = 200;
    public const int ShortText = 500;
    public const int LongText = 4000;
    public const int ActionTitle = 300;
    public const int Why = 1000;
    public const int WhysPerChain = 5;
}
