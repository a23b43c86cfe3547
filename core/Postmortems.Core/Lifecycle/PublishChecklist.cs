using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Lifecycle;

public enum PublishCheck
{
    Summary,
    CustomerImpact,
    Timeline,
    Factors,
    FactorsDecided,
    ActionsOwnedAndDated,
    WentWell,
}

/// <summary>
/// What the checklist needs to know about a postmortem. A null count is a check this version cannot make yet, and the
/// checklist leaves it out rather than guess.
/// </summary>
public sealed record PublishFacts(
    bool HasSummary,
    bool HasCustomerImpact,
    int TimelineEntries,
    int Factors,
    int? FactorsNeitherAddressedNorAccepted,
    int ActionsWithoutOwnerOrDueDate,
    int? WentWellItems)
{
    /// <summary>The facts of a whole postmortem as it is stored.</summary>
    public static PublishFacts Of(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        return new PublishFacts(
            HasSummary: !string.IsNullOrWhiteSpace(p.Summary),
            HasCustomerImpact: !string.IsNullOrWhiteSpace(p.CustomerImpact),
            TimelineEntries: document.Timeline.Count,
            Factors: document.ContributingFactors.Count,

            // PENDING(h17-analysis): factors carry no decision (accepted risk) and actions name no factor yet; this check
            // is left out until they do. Wire it here: factors neither named by a live action nor accepted as a risk.
            FactorsNeitherAddressedNorAccepted: null,
            ActionsWithoutOwnerOrDueDate: document.Actions.Count(a => a.Status != ActionStatus.WontDo && (a.Owner is null || a.DueDate is null)),

            // PENDING(h17-analysis): there is no "what went well" item yet; this check is left out until there is.
            WentWellItems: null);
    }
}

/// <summary>One line of the checklist: met or not, in words, with what to do when it is not.</summary>
public sealed record ChecklistItem(PublishCheck Check, bool Met, string Text);

/// <summary>"Ready to publish?": the practice's minimum for a postmortem others can learn from. Pure.</summary>
public static class PublishChecklist
{
    public static IReadOnlyList<ChecklistItem> Evaluate(PublishFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var items = new List<ChecklistItem>
        {
            new(PublishCheck.Summary, facts.HasSummary, facts.HasSummary ? "Summary written" : "The summary is empty"),
            new(PublishCheck.CustomerImpact, facts.HasCustomerImpact, facts.HasCustomerImpact ? "Customer impact written" : "The customer impact is empty"),
            new(PublishCheck.Timeline, facts.TimelineEntries > 0, facts.TimelineEntries > 0 ? $"Timeline: {Count(facts.TimelineEntries, "entry", "entries")}" : "The timeline has no entry yet"),
            new(PublishCheck.Factors, facts.Factors > 0, facts.Factors > 0 ? $"{Count(facts.Factors, "contributing factor", "contributing factors")}" : "No contributing factor yet"),
        };
        if (facts.FactorsNeitherAddressedNorAccepted is { } undecided)
        {
            items.Add(new(PublishCheck.FactorsDecided, undecided == 0, undecided == 0
                ? "Each factor is addressed by an action or accepted as a risk"
                : $"{Count(undecided, "factor is", "factors are")} neither addressed by an action nor accepted as a risk"));
        }

        int unowned = facts.ActionsWithoutOwnerOrDueDate;
        items.Add(new(PublishCheck.ActionsOwnedAndDated, unowned == 0, unowned == 0
            ? "Every action has an owner and a due date"
            : $"{Count(unowned, "action lacks", "actions lack")} an owner or a due date"));
        if (facts.WentWellItems is { } wentWell)
        {
            items.Add(new(PublishCheck.WentWell, wentWell > 0, wentWell > 0 ? "What went well is filled in" : "What went well is empty"));
        }

        return items;
    }

    public static int UnmetCount(IReadOnlyList<ChecklistItem> items) => items?.Count(i => !i.Met) ?? 0;

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
