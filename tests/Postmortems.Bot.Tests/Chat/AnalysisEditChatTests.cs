using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Analysis;
using Postmortems.Core.Analysis;
using Postmortems.Core.Discussion;
using Postmortems.Core.Storage;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>Editing factors and the two short lists through the real pipeline with real Azurite: who may, concurrent edits, the freeze.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AnalysisEditChatTests
{
    private static readonly User Adele = new("29:adele", "Adele Vance", "00000000-0000-0000-0000-0000000000022");

    [TestMethod]
    public async Task EditingAFactorOpensItsCardFilledInAndSavesTheChangeWithTheWordingCheck()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var saved = await SaveFactorAsync(chat, Megan, decision: FactorCards.AcceptedValue, reason: "Rare, and the fix costs more");

        var form = await chat.PressAsync(saved, "Edit", from: Megan);
        var updated = await chat.PressAsync(form, "Save factor", new() { ["text"] = "Sam forgot the flag", ["category"] = "tooling" }, Megan);

        Assert.AreEqual("Edit a contributing factor", Cards.Texts(form).First());
        Assert.AreEqual("Config changes skipped the canary stage", Cards.Input(form, "text")!["value"]!.GetValue<string>());
        Assert.AreEqual("change", Cards.Input(form, "category")!["value"]!.GetValue<string>());
        Assert.AreEqual(FactorCards.AcceptedValue, Cards.Input(form, "decision")!["value"]!.GetValue<string>());
        Assert.IsNull(Cards.Elements(form).Single(e => e["id"]?.GetValue<string>() == FactorCards.RiskReasonBoxId)["isVisible"], "an accepted factor shows its reason");
        Assert.AreEqual("Contributing factor updated.", Cards.Texts(updated).First(), updated.ToJsonString());
        Assert.IsTrue(Cards.Texts(updated).Any(t => t.Contains("A note on wording", StringComparison.Ordinal)), "the blameless check runs on the edited text");
        var stored = (await FactorsAsync(chat, saved)).Single();
        Assert.AreEqual("Sam forgot the flag", stored.Text);
        Assert.AreEqual(FactorCategory.ToolingAndAutomation, stored.Category);
        Assert.AreEqual(Megan.AadObjectId, stored.Author.ObjectId, "who wrote it stays");
        Assert.AreEqual(Megan.AadObjectId, stored.EditedBy!.ObjectId);
    }

    [TestMethod]
    public async Task TheFacilitatorCanEditAWentWellNoteAndItsAuthorALuckyOneBothKeepTheirAuthor()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage"); // Alex facilitates.
        var wentWell = await chat.PressAsync(await chat.SendAsync("went well", Megan), "Save", new() { ["text"] = "The alert fired fast" }, Megan);
        var lucky = await chat.PressAsync(await chat.SendAsync("lucky", Megan), "Save", new() { ["text"] = "The expert was in" }, Megan);

        var wentWellForm = await chat.PressAsync(wentWell, "Edit", from: Alex);
        var wentWellSaved = await chat.PressAsync(wentWellForm, "Save", new() { ["text"] = "The alert fired within a minute" }, Alex);
        var luckyForm = await chat.PressAsync(lucky, "Edit", from: Megan);
        var luckySaved = await chat.PressAsync(luckyForm, "Save", new() { ["text"] = "The cache expert was at their desk" }, Megan);

        Assert.AreEqual("The alert fired fast", Cards.Input(wentWellForm, "text")!["value"]!.GetValue<string>(), "the same card, filled in");
        Assert.AreEqual("Updated.", Cards.Texts(wentWellSaved).First(), wentWellSaved.ToJsonString());
        Assert.AreEqual("The alert fired within a minute", Cards.Facts(wentWellSaved)["Megan Bowen"], "the list shows the edit under its author");
        Assert.AreEqual("Updated.", Cards.Texts(luckySaved).First());
        var postmortemId = PostmortemId(wentWell);
        var storedWentWell = (await chat.Services.GetRequiredService<PostmortemItemStore<WentWell>>().ListAsync(chat.TenantId, postmortemId)).Single();
        var storedLucky = (await chat.Services.GetRequiredService<PostmortemItemStore<LuckyBreak>>().ListAsync(chat.TenantId, postmortemId)).Single();
        Assert.AreEqual("The alert fired within a minute", storedWentWell.Text);
        Assert.AreEqual(Megan.AadObjectId, storedWentWell.Author.ObjectId);
        Assert.AreEqual(Alex.AadObjectId, storedWentWell.EditedBy!.ObjectId);
        Assert.AreEqual("The cache expert was at their desk", storedLucky.Text);
    }

    [TestMethod]
    public async Task EditingAnotherUsersFactorOrNoteIsRefusedAndChangesNothing()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage"); // Alex facilitates.
        var factor = await SaveFactorAsync(chat, Megan);
        var lucky = await chat.PressAsync(await chat.SendAsync("lucky", Megan), "Save", new() { ["text"] = "The expert was in" }, Megan);
        var form = await chat.PressAsync(factor, "Edit", from: Megan);

        var openByAdele = await chat.InvokeAsync(FactorCards.EditVerb, Data(factor, "Edit"), Adele);
        var forgedSave = Data(form, "Save factor");
        forgedSave["text"] = "Rewritten by someone else";
        forgedSave["category"] = "process";
        var saveByAdele = await chat.InvokeAsync(FactorCards.SaveVerb, forgedSave, Adele);
        var luckyByAdele = await chat.InvokeAsync(NoteList.Lucky.EditVerb, Data(lucky, "Edit"), Adele);

        const string Refusal = "Only Megan Bowen, who wrote this, or Alex Wilber, who facilitates the postmortem, can edit it. Nothing was changed.";
        Assert.AreEqual(403, openByAdele["statusCode"]!.GetValue<int>());
        Assert.AreEqual(Refusal, openByAdele["value"]!["message"]!.GetValue<string>());
        Assert.AreEqual(403, saveByAdele["statusCode"]!.GetValue<int>());
        Assert.AreEqual(Refusal, saveByAdele["value"]!["message"]!.GetValue<string>());
        Assert.AreEqual(403, luckyByAdele["statusCode"]!.GetValue<int>());
        var stored = (await FactorsAsync(chat, factor)).Single();
        Assert.AreEqual("Config changes skipped the canary stage", stored.Text);
        Assert.IsNull(stored.EditedBy);
    }

    [TestMethod]
    public async Task ASecondEditorOfAFactorKeepsTheirTextAndIsToldWhoChangedIt()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage"); // Alex facilitates.
        var saved = await SaveFactorAsync(chat, Megan);
        var megansForm = await chat.PressAsync(saved, "Edit", from: Megan);
        var alexsForm = await chat.PressAsync(saved, "Edit", from: Alex);

        await chat.PressAsync(alexsForm, "Save factor", new() { ["text"] = "Config skipped the canary: no check in the pipeline" }, Alex);
        var conflict = await chat.PressAsync(megansForm, "Save factor", new() { ["text"] = "The pipeline let config skip the canary" }, Megan);
        var storedAfterConflict = (await FactorsAsync(chat, saved)).Single();
        var replaced = await chat.PressAsync(conflict, "Save factor", from: Megan);

        Assert.IsTrue(Cards.Texts(conflict).Contains("Alex Wilber changed this contributing factor while you were editing it. Your text is kept here: save again to replace their version."), conflict.ToJsonString());
        Assert.AreEqual("The pipeline let config skip the canary", Cards.Input(conflict, "text")!["value"]!.GetValue<string>(), "the second editor's text is kept");
        Assert.AreEqual("Config skipped the canary: no check in the pipeline", storedAfterConflict.Text, "the first edit was not overwritten");
        Assert.AreEqual("Contributing factor updated.", Cards.Texts(replaced).First(), "saving again knowingly replaces it");
        Assert.AreEqual("The pipeline let config skip the canary", (await FactorsAsync(chat, saved)).Single().Text);
    }

    [TestMethod]
    public async Task AHostileEditorsNameInTheConflictNoteIsShownAsText()
    {
        var hostile = new User("29:eve", "Eve](https://evil.example) *x* <b>\r\n# y", "00000000-0000-0000-0000-0000000000023");
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage"); // Alex facilitates.
        var saved = await chat.PressAsync(await chat.SendAsync("went well", hostile), "Save", new() { ["text"] = "The alert fired fast" }, hostile);
        var alexsForm = await chat.PressAsync(saved, "Edit", from: Alex);
        var evesForm = await chat.PressAsync(saved, "Edit", from: hostile);
        await chat.PressAsync(evesForm, "Save", new() { ["text"] = "The alert fired within a minute" }, hostile);

        var conflict = await chat.PressAsync(alexsForm, "Save", new() { ["text"] = "The checkout alert fired fast" }, Alex);

        var stored = (await chat.Services.GetRequiredService<PostmortemItemStore<WentWell>>().ListAsync(chat.TenantId, PostmortemId(saved))).Single();
        string expected = Postmortems.Bot.Cards.CardText.Literal(stored.EditedBy!.DisplayName) + " changed this note on what went well while you were editing it.";
        StringAssert.StartsWith(stored.EditedBy.DisplayName, "Eve](https://evil.example)", "the name as Teams gave it (line breaks aside)");
        Assert.IsTrue(Cards.Texts(conflict).Any(t => t.StartsWith(expected, StringComparison.Ordinal)), conflict.ToJsonString());
        Assert.IsFalse(Cards.Texts(conflict).Any(t => t.Contains("](https://evil.example)", StringComparison.Ordinal)), "no link from a name");
    }

    [TestMethod]
    public async Task AnEditedFactorLinkingAnotherPostmortemsEntryOrAnUnknownCategoryIsRefused()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new First outage");
        var entry = await chat.PressAsync(await chat.SendAsync("entry"), "Save entry", new()
        {
            ["occurredDate"] = "2026-11-20", ["occurredTime"] = "14:05", ["timeZone"] = "Europe/Paris", ["actor"] = "Deploy pipeline", ["description"] = "Rolled out config 4711", ["kind"] = "action",
        });
        string otherEntryId = Data(entry, "Add a contributing factor")[FactorCards.FromEntryKey]!.GetValue<string>();
        await chat.SendAsync("new Second outage");
        var saved = await SaveFactorAsync(chat, Alex);
        var form = await chat.PressAsync(saved, "Edit");

        var foreign = await chat.PressAsync(form, "Save factor", new() { ["entries"] = otherEntryId, ["text"] = "Changed" });
        var unknown = await chat.PressAsync(form, "Save factor", new() { ["category"] = "human-error", ["text"] = "Changed" });

        Assert.IsTrue(Cards.Texts(foreign).Any(t => t.Contains(FactorRules.ForeignEntryMessage, StringComparison.Ordinal)), foreign.ToJsonString());
        Assert.AreEqual("That category isn't one of the list. Please choose one of them.", Cards.ErrorUnder(unknown, "category"));
        Assert.AreEqual("Config changes skipped the canary stage", (await FactorsAsync(chat, saved)).Single().Text);
    }

    [TestMethod]
    public async Task APublishedPostmortemRefusesEditsOfFactorsAndNotes()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var factor = await SaveFactorAsync(chat, Alex);
        var wentWell = await chat.PressAsync(await chat.SendAsync("went well"), "Save", new() { ["text"] = "The alert fired fast" });
        var form = await chat.PressAsync(factor, "Edit");
        await chat.SendAsync("review");
        await chat.PressAsync(await chat.SendAsync("publish"), "Publish anyway", new() { ["reason"] = "An internal tool: no customer impact to write." });

        var edit = await chat.PressAsync(wentWell, "Edit");
        var save = await chat.PressAsync(form, "Save factor", new() { ["text"] = "Changed after publishing" });

        StringAssert.StartsWith(edit.GetValue<string>(), "This postmortem is published, so its analysis is read-only");
        StringAssert.StartsWith(save.GetValue<string>(), "This postmortem is published, so its analysis is read-only");
        Assert.AreEqual("Config changes skipped the canary stage", (await FactorsAsync(chat, factor)).Single().Text);
    }

    private static async Task<JsonNode> SaveFactorAsync(ChatHarness chat, User author, string decision = FactorCards.OpenValue, string reason = "")
    {
        var form = await chat.SendAsync("factor", author);
        return await chat.PressAsync(form, "Save factor", new() { ["text"] = "Config changes skipped the canary stage", ["category"] = "change", ["decision"] = decision, ["riskReason"] = reason }, author);
    }

    private static JsonObject Data(JsonNode card, string button) =>
        (JsonObject)Cards.Actions(card).First(a => a["title"]?.GetValue<string>() == button)["data"]!.DeepClone();

    private static string PostmortemId(JsonNode card) => Cards.Actions(card).Select(a => a["data"]?["postmortemId"]?.GetValue<string>()).First(id => id is not null)!;

    private static async Task<IReadOnlyList<ContributingFactor>> FactorsAsync(ChatHarness chat, JsonNode card) =>
        await chat.Services.GetRequiredService<PostmortemItemStore<ContributingFactor>>().ListAsync(chat.TenantId, PostmortemId(card));
}
