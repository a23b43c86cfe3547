using Postmortems.Core.Common;

namespace Postmortems.Core.Discussion;

public static class DiscussionRules
{
    public static IReadOnlyList<FieldError> Validate(FiveWhys chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var v = new Validation().Required("problem", "the problem the whys start from", chain.Problem, TextLimits.LongText);
        if (chain.Whys.Count > TextLimits.WhysPerChain)
        {
            v.Add("whys", $"A chain holds up to {TextLimits.WhysPerChain} whys. Please start a new chain from the last answer.");
        }

        for (int i = 0; i < chain.Whys.Count && i < TextLimits.WhysPerChain; i++)
        {
            v.Required($"whys[{i}]", $"the answer to why #{i + 1}", chain.Whys[i], TextLimits.Why);
        }

        return v.Errors;
    }

    public static IReadOnlyList<FieldError> Validate(ContributingFactor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        return new Validation().Required("text", "the contributing factor", factor.Text, TextLimits.LongText).Errors;
    }

    public static IReadOnlyList<FieldError> Validate(Takeaway takeaway)
    {
        ArgumentNullException.ThrowIfNull(takeaway);
        return new Validation().Required("text", "what you learned", takeaway.Text, TextLimits.LongText).Errors;
    }
}
