using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;

namespace Postmortems.Core.Analysis;

/// <summary>The rules that tie factors to the rest of their postmortem: the entries they link and the actions that address them.</summary>
public static class FactorRules
{
    public const string ForeignEntryMessage =
        "A factor can only link timeline entries of this postmortem, and one of those chosen isn't one of them. Nothing was saved; please choose the entries again from the list.";

    public const string ForeignFactorMessage =
        "An action can only address contributing factors of its own postmortem, and one of those chosen isn't one of them. Please choose them again from the list.";

    /// <summary>An error when the factor links an entry that is not one of <paramref name="entryIdsOfItsPostmortem"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateLinks(ContributingFactor factor, IReadOnlyCollection<string> entryIdsOfItsPostmortem)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(entryIdsOfItsPostmortem);
        return factor.EntryIds.All(id => entryIdsOfItsPostmortem.Contains(id))
            ? []
            : [new FieldError("entries", ForeignEntryMessage)];
    }

    /// <summary>An error when the action names a factor that is not one of <paramref name="factorIdsOfItsPostmortem"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateLinks(ActionItem action, IReadOnlyCollection<string> factorIdsOfItsPostmortem)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(factorIdsOfItsPostmortem);
        return action.FactorIds.All(id => factorIdsOfItsPostmortem.Contains(id))
            ? []
            : [new FieldError("factors", ForeignFactorMessage)];
    }

    /// <summary>
    /// Addressed when an action that is not "won't do" names it (an action dropped addresses nothing); otherwise the
    /// team's decision: accepted as a risk, or still open.
    /// </summary>
    public static FactorState StateOf(ContributingFactor factor, IEnumerable<ActionItem> actions)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(actions);
        if (AddressedBy(factor, actions).Any())
        {
            return FactorState.Addressed;
        }

        return factor.Decision == FactorDecision.AcceptedRisk ? FactorState.AcceptedRisk : FactorState.Open;
    }

    /// <summary>The actions that address the factor, "won't do" ones left out.</summary>
    public static IEnumerable<ActionItem> AddressedBy(ContributingFactor factor, IEnumerable<ActionItem> actions)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(actions);
        return actions.Where(a => a.Status != ActionStatus.WontDo && a.FactorIds.Contains(factor.Id, StringComparer.Ordinal));
    }

    public static string StateTitle(FactorState state) => state switch
    {
        FactorState.Addressed => "addressed",
        FactorState.AcceptedRisk => "accepted risk",
        _ => "open",
    };
}
