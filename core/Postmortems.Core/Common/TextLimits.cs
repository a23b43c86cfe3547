namespace Postmortems.Core.Common;

/// <summary>
/// The product's own length limits, far below Table Storage's (64 KiB per string, 1 MiB per entity),
/// so a whole postmortem item always fits in one entity and in one Adaptive Card. A timeline entry has five long
/// fields, and its form and saved card show all of them: 2,000 characters each keeps the largest card under the
/// 28 KB the product allows itself (EveryCardTests measures it).
/// </summary>
public static class TextLimits
{
    public const int Title = 200;
    public const int Name = 200;
    public const int LongText = 2000;
    public const int ActionTitle = 300;
    public const int Why = 1000;
    public const int WhysPerChain = 5;

    /// <summary>Timeline entries one contributing factor may link, and factors one action may name.</summary>
    public const int FactorEntries = 20;

    public const int FactorsPerAction = 20;
}
