using System.Text;
using System.Text.Json;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Cards;

internal static class CardAssert
{
    /// <summary>
    /// Fails unless every card, serialized as the bot sends it, parses and validates in the official Adaptive Cards
    /// library without errors or warnings and stays within <see cref="AdaptiveCardChecker.MaxCardBytes"/>.
    /// All cards are checked in one node run; the failure lists every problem of every card.
    /// </summary>
    public static async Task PassesOfficialCheckAsync(params AdaptiveCard[] cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var jsons = cards.Select(card => JsonSerializer.Serialize(card, ProtocolJson.Options)).ToList();
        var results = await AdaptiveCardChecker.CheckAsync(jsons);

        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"{failed.Count} of {cards.Length} card(s) fail the Adaptive Cards check:");
        foreach (var result in failed)
        {
            message.Append($"\ncard {result.Index} (\"{FirstText(cards[result.Index])}\", {result.Bytes} bytes):");
            foreach (string error in result.Errors)
            {
                message.Append($"\n  error: {error}");
            }

            foreach (string warning in result.Warnings)
            {
                message.Append($"\n  warning: {warning}");
            }
        }

        Assert.Fail(message.ToString());
    }

    private static string FirstText(AdaptiveCard card)
    {
        string? text = FirstTextBlock(card.Body)?.Text;
        return text is null ? "no TextBlock" : text.Length <= 60 ? text : text[..57] + "...";
    }

    private static TextBlock? FirstTextBlock(IEnumerable<CardElement> elements)
    {
        foreach (var element in elements)
        {
            var found = element switch
            {
                TextBlock textBlock => textBlock,
                Container container => FirstTextBlock(container.Items),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
