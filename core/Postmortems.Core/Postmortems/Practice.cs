namespace Postmortems.Core.Postmortems;

/// <summary>The words of the practice the product encodes, shared by the cards and the meeting invites.</summary>
public static class Practice
{
    /// <summary>The prime directive, without quotation marks.</summary>
    public const string PrimeDirective =
        "Regardless of what we discover, we understand and truly believe that everyone did the best job they could, given what they knew at the time, their skills and abilities, the resources available, and the situation at hand.";

    /// <summary>Norm Kerth, Project Retrospectives: A Handbook for Team Reviews (Dorset House, 2001).</summary>
    public const string PrimeDirectiveAttribution = "Norm Kerth, Project Retrospectives: A Handbook for Team Reviews";

    public const string BlamelessNote =
        "Blameless means we look for what in our systems, tools and processes made this possible, not for someone to blame. Say what you knew, expected and did at the time; hindsight is not a fair judge.";
}
