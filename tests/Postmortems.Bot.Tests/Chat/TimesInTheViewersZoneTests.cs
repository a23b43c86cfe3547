using System.Text.Json;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>
/// Times on the timeline read in one zone, the zone of whoever looks, through the real pipeline with real Azurite: an
/// entry typed in another zone says so, as it was typed.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TimesInTheViewersZoneTests
{
    [TestMethod]
    public async Task TheTimelineShowsEveryTimeInTheViewersZoneAndNotesTheZoneAnEntryWasEnteredIn()
    {
        await using var chat = await StartAsync();
        chat.LocalTimezone = "Europe/Paris";
        await chat.SendAsync("new Checkout outage");
        var london = await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", Entry("09:00", "Europe/London", "Rolled out config 4711"));
        await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", Entry("09:30", "Europe/Paris", "Checkout alert fired"));
        await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", Entry("23:30", "America/Los_Angeles", "Support ticket opened", date: "2026-11-19"));

        var inParis = await chat.SendAsync("timeline");
        chat.LocalTimezone = "America/New_York";
        var inNewYork = await chat.SendAsync("timeline");

        Assert.AreEqual("Fri 20 Nov 2026, 10:00 (Europe/Paris) · entered as 09:00 Europe/London", Cards.Facts(london)["When"], "the saved card too");
        CollectionAssert.AreEqual(
            new[]
            {
                "Fri 20 Nov 2026, 08:30 (Europe/Paris) · entered as Thu 19 Nov, 23:30 America/Los Angeles",
                "Fri 20 Nov 2026, 09:30 (Europe/Paris)",
                "Fri 20 Nov 2026, 10:00 (Europe/Paris) · entered as 09:00 Europe/London",
            },
            Whens(inParis));
        CollectionAssert.AreEqual(
            new[]
            {
                "Fri 20 Nov 2026, 02:30 (America/New York) · entered as Thu 19 Nov, 23:30 America/Los Angeles",
                "Fri 20 Nov 2026, 03:30 (America/New York) · entered as 09:30 Europe/Paris",
                "Fri 20 Nov 2026, 04:00 (America/New York) · entered as 09:00 Europe/London",
            },
            Whens(inNewYork));
        Assert.IsTrue(Cards.Texts(inNewYork).Any(t => t.EndsWith("times in America/New York", StringComparison.Ordinal)), "the card says which zone it reads in");
    }

    [TestMethod]
    public void TheViewersZoneComesFromClientInfoWhenTheActivityHasNoLocalTimezone()
    {
        using var clientInfo = JsonDocument.Parse("""{"timezone":"Asia/Tokyo","locale":"en-US"}""");
        var activity = new Activity
        {
            Entities = [new Entity { Type = "clientInfo", AdditionalProperties = clientInfo.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) }],
        };

        Assert.AreEqual("Asia/Tokyo", PostmortemContext.ZoneOf(activity));
        Assert.AreEqual("Europe/Paris", PostmortemContext.ZoneOf(new Activity { LocalTimezone = "Europe/Paris", Entities = activity.Entities }), "localTimezone first");
        Assert.AreEqual("UTC", PostmortemContext.ZoneOf(new Activity { LocalTimezone = "Mars/Olympus" }), "an unknown zone reads as UTC");
    }

    [TestMethod]
    public async Task TheHelpCardsMentionExampleUsesTheBotsNameInThisConversation()
    {
        await using var chat = await StartAsync();
        chat.BotName = "Incident Buddy";

        var help = await chat.SendAsync("help");
        chat.BotName = "Evil\r\n**Bot** [x](https://example.com)";
        var hostile = await chat.SendAsync("help");

        Assert.IsTrue(Cards.Texts(help).Any(t => t.EndsWith("for example: @Incident Buddy help.", StringComparison.Ordinal)), string.Join("\n", Cards.Texts(help)));
        Assert.IsFalse(Cards.Texts(help).Any(t => t.Contains("@Blameless Postmortems", StringComparison.Ordinal)));
        Assert.IsTrue(
            Cards.Texts(hostile).Any(t => t.EndsWith(@"for example: @Evil \*\*Bot\*\* \[x\]\(https://example.com\) help.", StringComparison.Ordinal)),
            "one line, shown literally: " + string.Join("\n", Cards.Texts(hostile)));
    }

    private static Dictionary<string, string> Entry(string time, string zone, string description, string date = "2026-11-20") => new()
    {
        ["occurredDate"] = date,
        ["occurredTime"] = time,
        ["timeZone"] = zone,
        ["actor"] = "On-call engineer",
        ["description"] = description,
    };

    private static string[] Whens(System.Text.Json.Nodes.JsonNode timeline) => [.. Cards.Rows(timeline).Select(r => Cards.Facts(r)["When"])];
}
