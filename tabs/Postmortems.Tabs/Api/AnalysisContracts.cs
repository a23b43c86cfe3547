using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;

namespace Postmortems.Tabs.Api;

/// <summary>A contributing factor with its derived state: "open", "addressed" or "acceptedRisk".</summary>
public sealed record FactorResponse(
    string Id,
    string Text,
    string? Category,
    string? CategoryTitle,
    FactorState State,
    string? RiskReason,
    IReadOnlyList<string> EntryIds,
    IReadOnlyList<string> ActionIds,
    PersonResponse Author)
{
    public static FactorResponse From(ContributingFactor factor, PostmortemDocument document)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(document);
        return new(
            factor.Id,
            factor.Text,
            factor.Category is { } c ? FactorCategories.ValueOf(c) : null,
            factor.Category is { } t ? FactorCategories.TitleOf(t) : null,
            FactorRules.StateOf(factor, document.Actions),
            factor.Decision == FactorDecision.AcceptedRisk ? factor.RiskReason : null,
            factor.EntryIds,
            [.. FactorRules.AddressedBy(factor, document.Actions).Select(a => a.Id)],
            PersonResponse.Required(factor.Author));
    }
}

/// <summary>One line of "what is missing": kind "noFactor", "openFactor", "noOwner" or "noDueDate", and the item it is about.</summary>
public sealed record MissingResponse(string Kind, string Text, string? ItemId)
{
    public static IReadOnlyList<MissingResponse> From(PostmortemDocument document) =>
        [.. WhatIsMissing.Find(document).Select(m => new MissingResponse(m.Kind, m.Text, m.ItemId))];
}
