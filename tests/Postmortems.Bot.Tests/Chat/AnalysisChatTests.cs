using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Analysis;
using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>The analysis through the app's real pipeline and Azurite: factors, their links and refusals, the short lists, the status card.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AnalysisChatTests
{
    [TestMethod]
    public async Task LinkingAnEntryOfAnotherPostmortemIsRefusedAndNothingIsStored()
    {
        await using var chat = await ChatHarness.StartAsync();
        await chat.SendAsync("new First outage");
        var entry = await chat.SendAsync("entry");
        var saved = await chat.PressAsync(entry, "Save entry", Entry("Deploy pipeline", "Rolled out config 4711"));
        string otherEntryId = Cards.Actions(saved).Single(a => a["title"]!.GetValue<string>() == "Add a contributing factor")["data"]![FactorCards.FromEntryKey]!.GetValue<string>();

        await chat.SendAsync("new Second outage");
        var form = await chat.SendAsync("factor");
        var again = await chat.PressAsync(form, "Save factor", Factor(entries: otherEntryId));

        Assert.IsTrue(Cards.Texts(again).Any(t => t.Contains(FactorRules.ForeignEntryMessage, StringComparison.Ordinal)), again.ToJsonString());
        Assert.AreEqual("Config changes skipped the canary stage", Cards.Input(again, "text")!["value"]!.GetValue<string>(), "what was typed is kept");
        Assert.IsEmpty(await AllFactorsAsync(chat, again));
    }

    [TestMethod]
    public async Task AnUnknownCategoryIsRefusedAndNothingIsStored()
    {
        await using var chat = await ChatHarness.StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("factor");

        var again = await chat.PressAsync(form, "Save factor", Factor(category: "human-error"));

        Assert.AreEqual("That category isn't one of the list. Please choose one of them.", Cards.ErrorUnder(again, "category"));
        Assert.IsEmpty(await AllFactorsAsync(chat, again));
    }

    [TestMethod]
    public async Task AcceptingARiskWithoutAReasonIsRefusedAndNothingIsStored()
    {
        await using var chat = await ChatHarness.StartAsync();
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("factor");

        var again = await chat.PressAsync(form, "Save factor", Factor(decision: FactorCards.AcceptedValue));

        StringAssert.Contains(Cards.ErrorUnder(again, "riskReason"), "the reason the team accepts this risk");
        Assert.IsEmpty(await AllFactorsAsync(chat, again));
    }

    [TestMethod]
    public async Task AFactorFromAnEntryIsLinkedNudgedAndAddressedByTheActionThatNamesIt()
    {
        await using var chat = await ChatHarness.StartAsync();
        chat.SetRoster(ChatHarness.Alex, ChatHarness.Megan);
        await chat.SendAsync("new Checkout outage");
        var entry = await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", Entry("Sam", "Rolled out config 4711"));

        var form = await chat.PressAsync(entry, "Add a contributing factor");
        string entryId = Cards.Input(form, "entries")!["value"]!.GetValue<string>();
        var saved = await chat.PressAsync(form, "Save factor", Factor(text: "Sam forgot the flag", entries: entryId));

        Assert.AreEqual("Change and deployment", Cards.Facts(saved)["Category"]);
        StringAssert.Contains(Cards.Facts(saved)["Shows up in"], "Rolled out config 4711");
        Assert.IsTrue(Cards.Texts(saved).Any(t => t.Contains("what made the flag easy to forget?", StringComparison.Ordinal)), "the nudge from a person to a condition");

        var actionForm = await chat.PressAsync(saved, "Add an action for it");
        var factorId = Cards.Input(actionForm, ActionFactors.InputId)!["value"]!.GetValue<string>();
        var actionSaved = await chat.PressAsync(actionForm, "Save action", new()
        {
            ["title"] = "Give the flag a safe default and check it in the pipeline",
            ["owner"] = ChatHarness.Megan.AadObjectId,
            ["dueDate"] = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.AreEqual("1 contributing factor", Cards.Facts(actionSaved)["Addresses"]);

        var status = await chat.SendAsync("status");
        Assert.AreEqual("Sam forgot the flag", Cards.Facts(status)["Addressed"]);
        Assert.IsFalse(Cards.Texts(status).Any(t => t.Contains("has no action", StringComparison.Ordinal)), status.ToJsonString());
        var stored = await AllFactorsAsync(chat, status);
        Assert.AreEqual(factorId, stored.Single().Id);
    }

    [TestMethod]
    public async Task AnActionNamingAFactorOfAnotherPostmortemIsRefused()
    {
        await using var chat = await ChatHarness.StartAsync();
        chat.SetRoster(ChatHarness.Alex, ChatHarness.Megan);
        await chat.SendAsync("new First outage");
        var first = await chat.PressAsync(await chat.SendAsync("factor"), "Save factor", Factor());
        string foreignFactor = Cards.Actions(first).Single(a => a["title"]!.GetValue<string>() == "Add an action for it")["data"]![ActionFactors.FromFactorKey]!.GetValue<string>();
        await chat.SendAsync("new Second outage");

        var again = await chat.PressAsync(await chat.SendAsync("action"), "Save action", new()
        {
            ["title"] = "Give the flag a safe default",
            ["owner"] = ChatHarness.Megan.AadObjectId,
            ["dueDate"] = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            [ActionFactors.InputId] = foreignFactor,
        });

        Assert.IsTrue(Cards.Texts(again).Any(t => t.Contains(FactorRules.ForeignFactorMessage, StringComparison.Ordinal)), again.ToJsonString());
    }

    [TestMethod]
    public async Task WentWellAndLuckyKeepEachAuthorAndShowOnTheStatusCard()
    {
        await using var chat = await ChatHarness.StartAsync();
        await chat.SendAsync("new Checkout outage");

        var well = await chat.PressAsync(await chat.SendAsync("went well", ChatHarness.Megan), "Save", new() { ["text"] = "The alert fired within a minute" }, ChatHarness.Megan);
        await chat.PressAsync(await chat.SendAsync("lucky"), "Save", new() { ["text"] = "The cache expert was at their desk" });

        Assert.AreEqual("The alert fired within a minute", Cards.Facts(well)["Megan Bowen"]);
        var status = await chat.SendAsync("status");
        var facts = Cards.Facts(status);
        Assert.AreEqual("The alert fired within a minute", facts["Megan Bowen"]);
        Assert.AreEqual("The cache expert was at their desk", facts["Alex Wilber"]);
        Assert.IsTrue(Cards.Texts(status).Any(t => t.Contains("No contributing factor yet", StringComparison.Ordinal)), "what is missing");
    }

    private static async Task<IReadOnlyList<ContributingFactor>> AllFactorsAsync(ChatHarness chat, JsonNode card)
    {
        string postmortemId = Cards.Actions(card).Select(a => a["data"]?["postmortemId"]?.GetValue<string>()).First(id => id is not null)!;
        return await chat.Services.GetRequiredService<PostmortemItemStore<ContributingFactor>>().ListAsync(chat.TenantId, postmortemId);
    }

    private static Dictionary<string, string> Factor(string text = "Config changes skipped the canary stage", string category = "change", string decision = FactorCards.OpenValue, string entries = "") => new()
    {
        ["text"] = text,
        ["category"] = category,
        ["decision"] = decision,
        ["riskReason"] = string.Empty,
        ["entries"] = entries,
    };

    private static Dictionary<string, string> Entry(string actor, string description) => new()
    {
        ["occurredDate"] = "2026-11-20",
        ["occurredTime"] = "14:05",
        ["timeZone"] = "Europe/Paris",
        ["actor"] = actor,
        ["description"] = description,
        ["kind"] = "action",
    };
}
