using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;

namespace Postmortems.Bot.Analysis;

/// <summary>The action form's choice of the contributing factors the action addresses (a multi-select of the postmortem's factors).</summary>
public static class ActionFactors
{
    public const string InputId = "factors";

    /// <summary>The card data key of the factor an action form was opened from (it starts chosen).</summary>
    public const string FromFactorKey = "fromFactor";

    private const int MaxChoices = 30;

    public static IEnumerable<CardElement> Input(IReadOnlyList<ContributingFactor> factors, FormState state)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(state);
        if (factors.Count == 0)
        {
            return state.Error(InputId) is { } error ? [new TextBlock(error) { Color = "attention", Size = "small" }] : [];
        }

        var chosen = FactorFeature.SplitIds(state.Value(InputId));
        var offered = factors.TakeLast(MaxChoices).ToList();
        offered.AddRange(factors.Where(f => chosen.Contains(f.Id, StringComparer.Ordinal) && !offered.Contains(f)));
        return FormCards.Field(
            new InputChoiceSet
            {
                Id = InputId,
                Label = "Contributing factors it addresses (optional)",
                Style = "expanded",
                IsMultiSelect = true,
                Choices = [.. offered.Select(f => new Choice(FormCards.Shorten($"{(f.Category is { } c ? FactorCategories.TitleOf(c) + ": " : string.Empty)}{Core.Common.SingleLineText.Name(f.Text, string.Empty)}", 120), f.Id))],
                Value = state.Value(InputId),
            },
            state);
    }

    /// <summary>The factor ids the form chose.</summary>
    public static IReadOnlyList<string> Read(FormValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return FactorFeature.SplitIds(values[InputId]);
    }
}
