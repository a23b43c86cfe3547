using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Cards;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>
/// Names as Teams hands them over (the sender's, the roster's) with line breaks, Markdown and mention-like text:
/// through the real pipeline with real Azurite, they follow the one rule for names and never format anything.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class HostileNamesChatTests
{
    private const string HostileName = "Mallory\r\n# [Boss](https://evil.example) **@everyone**\t<at>Megan</at>\u202E";
    private const string Normalised = "Mallory # [Boss](https://evil.example) **@everyone** <at>Megan</at>";

    private static readonly User Mallory = new("29:mallory", HostileName, "00000000-0000-0000-0000-0000000000066");
    private static readonly User Rota = new("29:rota", "On-call\nrota_*lead*", "00000000-0000-0000-0000-0000000000067");
    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestMethod]
    public async Task AHostileSenderNameIsNormalisedAndShownLiterallyInCardsAndWithoutBackslashesInText()
    {
        Assert.AreEqual(Normalised, SingleLineText.Name(HostileName, "Someone"));
        await using var chat = await StartAsync();

        var welcome = await chat.SendAsync("new Checkout outage", Mallory);
        var refused = await chat.SendAsync("close", Megan);

        CollectionAssert.Contains(
            Cards.Texts(welcome).ToList(),
            $"Started by {CardText.Literal(Normalised)}, who facilitates it. Anyone here can add to it.");
        string text = refused["text"]!.GetValue<string>();
        Assert.AreEqual("Only the facilitator, Mallory # (Boss)(https://evil.example) @everyone (at>Megan(/at>, can close this postmortem.", text);
        Assert.DoesNotContain("\\", text);
    }

    [TestMethod]
    public async Task AHostileFacilitatorNameInTheMeetingBannerIsShownLiterally()
    {
        await using var chat = await StartAsync();
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        chat.SetRoster(Mallory, Megan);
        await chat.SendAsync("new Checkout outage", Mallory);
        var preview = await chat.SendAsync("schedule", Megan);

        var answer = await chat.PressAsync(preview, "Send invite", from: Megan);

        CollectionAssert.Contains(
            Cards.Texts(answer).ToList(),
            $"Only {CardText.Literal(Normalised)}, who facilitates this postmortem, can send the invite. Your changes are kept here for them.");
    }

    [TestMethod]
    public async Task AHostileRosterNameChosenAsOwnerIsNormalisedAndShownLiterally()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Rota);
        await chat.SendAsync("new Checkout outage");

        await chat.PressAsync(await chat.SendAsync("action"), "Save action", new() { ["title"] = "Document the rollback runbook", ["owner"] = Rota.AadObjectId, ["dueDate"] = NextWeek });
        var list = await chat.SendAsync("actions");

        Assert.AreEqual(CardText.Literal("On-call rota_*lead*"), Cards.Facts(Cards.Rows(list)[0])["Owner"]);
    }
}
