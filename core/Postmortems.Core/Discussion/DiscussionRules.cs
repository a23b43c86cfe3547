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
        var v = new Validation().Required("text", "the contributing factor", factor.Text, TextLimits.LongText);
        if (factor.Category is not { } category || !Enum.IsDefined(category))
        {
            v.Add("category", "Please choose a category from the list.");
        }

        if (factor.Decision == Analysis.FactorDecision.AcceptedRisk)
        {
            v.Required("riskReason", "the reason the team accepts this risk", factor.RiskReason, TextLimits.LongText);
        }
        else if (!Enum.IsDefined(factor.Decision))
        {
            v.Add("decision", "Please choose whether the factor is still open or accepted as a risk.");
        }
        else
        {
            v.Optional("riskReason", "the reason", factor.RiskReason, TextLimits.LongText);
        }

        if (factor.EntryIds.Count > TextLimits.FactorEntries)
        {
            v.Add("entries", $"A factor links up to {TextLimits.FactorEntries} timeline entries. Please keep the ones it shows up in most.");
        }
        else if (factor.EntryIds.Any(id => !Ids.IsValidKeyPart(id)))
        {
            v.Add("entries", "One of the linked timeline entries isn't one we know. Please choose them again from the list.");
        }

        return v.Errors;
    }

    public static IReadOnlyList<FieldError> Validate(Takeaway takeaway)
    {
        ArgumentNullException.ThrowIfNull(takeaway);
        return new Validation().Required("text", "what you learned", takeaway.Text, TextLimits.LongText).Errors;
    }
}
