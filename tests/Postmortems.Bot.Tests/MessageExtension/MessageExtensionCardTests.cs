using Postmortems.Bot.Forms;
using Postmortems.Bot.MessageExtension;
using Postmortems.Bot.Tests.Cards;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Channels;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>The message extension's and import's cards at their largest, checked by the official Adaptive Cards library and kept under 28 KB.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MessageExtensionCardTests
{
    [TestMethod]
    public async Task TheDialogAndImportCardsPassTheOfficialCheckAtTheirLargest()
    {
        string Long(int length) => new('W', length);
        var postmortems = Enumerable.Range(0, 10).Select(_ => TestData.Postmortem() with { Title = Long(TextLimits.Title) }).ToList();
        var full = new Dictionary<string, string?>
        {
            ["occurredDate"] = "2026-11-20", ["occurredTime"] = "09:41:07", ["timeZone"] = "Europe/Paris", ["actor"] = Long(TextLimits.Name),
            ["description"] = Long(TextLimits.LongText), ["outcome"] = Long(TextLimits.LongText), ["expectations"] = Long(TextLimits.LongText),
            ["assumptions"] = Long(TextLimits.LongText), ["signals"] = Long(TextLimits.LongText), ["kind"] = "detection",
            [AddToTimelineCards.NewTitleKey] = Long(TextLimits.Title),
        };
        var state = FormState.WithErrors(new FormValues(full), [new FieldError("occurredAt", "This time is in the future. Please check the date.")]);
        var link = new Uri("https://teams.microsoft.com/l/message/19:abc@thread.v2/1763640000123");
        var source = new EntrySource("1763640000123", link);
        var messages = Enumerable.Range(0, ChannelImportFeature.MaxCandidates)
            .Select(i => new ChannelMessage($"17636400001{i:00}", DateTimeOffset.UtcNow.AddMinutes(-i), Long(TextLimits.Name), i % 2 == 0, "<p>" + Long(3000) + "</p>", true, link))
            .ToList();

        await CardAssert.PassesOfficialCheckAsync(
            AddToTimelineCards.Dialog(new EntryTarget(postmortems[..1], postmortems[0].Id), source, state, "Europe/Paris"),
            AddToTimelineCards.Dialog(new EntryTarget(postmortems, postmortems[3].Id), source, state, "Europe/Paris"),
            AddToTimelineCards.Dialog(new EntryTarget([], null), source, state, "Europe/Paris"),
            AddToTimelineCards.Dialog(new EntryTarget(postmortems[..1], postmortems[0].Id), source with { ItemId = "item", ETag = "W/\"1\"" }, FormState.From(full) with { Banner = "This message is already in the timeline." }, "Europe/Paris"),
            ChannelImportCards.Candidates(postmortems[0], messages, 12, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow, "Asia/Kolkata", notShown: 40),
            ChannelImportCards.Candidates(postmortems[0], [], 0, DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow, "UTC"),
            ChannelImportCards.Added(postmortems[0], 3, 2, 1));
    }
}
