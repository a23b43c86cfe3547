using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Analysis;

/// <summary>One gap in the analysis, said as the next thing to do. <see cref="ItemId"/> names the factor or action it is about.</summary>
public sealed record MissingPiece(string Kind, string Text, string? ItemId = null);

/// <summary>
/// The short "what is missing" list on the status card and the tab: no factor yet; a factor with neither an action
/// nor an accepted risk; an open action without an owner or a due date. Finished actions (done, won't do) need nothing more.
/// </summary>
public static class WhatIsMissing
{
    public const string NoFactorKind = "noFactor";
    public const string OpenFactorKind = "openFactor";
    public const string NoOwnerKind = "noOwner";
    public const string NoDueDateKind = "noDueDate";

    public static IReadOnlyList<MissingPiece> Find(PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var missing = new List<MissingPiece>();
        if (document.ContributingFactors.Count == 0)
        {
            missing.Add(new MissingPiece(NoFactorKind, "No contributing factor yet: what in the system made this possible or worse?"));
        }

        foreach (var factor in document.ContributingFactors)
        {
            if (FactorRules.StateOf(factor, document.Actions) == FactorState.Open)
            {
                missing.Add(new MissingPiece(OpenFactorKind, $"Factor “{Short(factor.Text)}” has no action and is not accepted as a risk.", factor.Id));
            }
        }

        foreach (var action in document.Actions.Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress))
        {
            if (action.Owner is null)
            {
                missing.Add(new MissingPiece(NoOwnerKind, $"Action “{Short(action.Title)}” has no owner.", action.Id));
            }

            if (action.DueDate is null)
            {
                missing.Add(new MissingPiece(NoDueDateKind, $"Action “{Short(action.Title)}” has no due date.", action.Id));
            }
        }

        return missing;
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..80].TrimEnd() + "…";
}
