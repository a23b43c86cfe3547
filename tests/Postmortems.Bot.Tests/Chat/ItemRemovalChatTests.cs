using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using static Postmortems.Bot.Tests.Chat.ChatHarness;

namespace Postmortems.Bot.Tests.Chat;

/// <summary>Remove, Undo and the work item link through the real pipeline with real Azurite: the refusals, and that they change nothing.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ItemRemovalChatTests
{
    private static readonly User Adele = new("29:adele", "Adele Vance", "00000000-0000-0000-0000-0000000000022");

    [TestMethod]
    public async Task RemovingAnotherUsersIdeaIsRefusedAndChangesNothing()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage"); // Alex facilitates.
        var saved = await SaveIdeaAsync(chat, Megan, "Alert on the canary's error rate.");

        var byAdele = await chat.InvokeAsync("item.remove", Data(saved, "Remove"), Adele);
        var undoByAdele = await chat.InvokeAsync("item.restore", Data(saved, "Remove"), Adele);

        Assert.AreEqual(403, byAdele["statusCode"]!.GetValue<int>());
        Assert.AreEqual("Only Megan Bowen, who wrote this, or Alex Wilber, who facilitates the postmortem, can remove it. Nothing was changed.", byAdele["value"]!["message"]!.GetValue<string>());
        Assert.AreEqual("The idea is back, as it was.", Cards.Texts(undoByAdele["value"]!).First(), "nothing was removed: Undo only shows it as it is");
        Assert.HasCount(1, await IdeasAsync(chat, saved));
    }

    [TestMethod]
    public async Task TheAuthorAndTheFacilitatorCanRemoveAndOnlyTheyCanUndo()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var saved = await SaveIdeaAsync(chat, Megan, "Alert on the canary's error rate.");

        var removed = await chat.PressAsync(saved, "Remove", from: Alex);
        var undoByAdele = await chat.InvokeAsync("item.restore", Data(removed, "Undo"), Adele);
        var stillGone = await IdeasAsync(chat, saved);
        var undone = await chat.PressAsync(removed, "Undo", from: Megan);

        Assert.IsTrue(Cards.Texts(removed).Any(t => t.StartsWith("The idea was removed.", StringComparison.Ordinal)), "says it was removed");
        Assert.AreEqual("Alex Wilber, " , Cards.Facts(removed)["Removed by"][..13], "who removed it");
        Assert.AreEqual(403, undoByAdele["statusCode"]!.GetValue<int>());
        Assert.IsEmpty(stillGone);
        Assert.Contains("The idea is back, as it was.", Cards.Texts(undone).ToList());
        Assert.HasCount(1, await IdeasAsync(chat, saved));
    }

    [TestMethod]
    public async Task ARemoveNamingAnotherPostmortemsOrAnotherTenantsItemOrAnUnknownKindIsRefused()
    {
        await using var chat = await StartAsync();
        await chat.SendAsync("new Checkout outage");
        var saved = await SaveIdeaAsync(chat, Alex, "Alert on the canary's error rate.");
        var other = await chat.SendAsync("new Search outage");
        string otherId = Cards.Actions(other).First()["data"]!["postmortemId"]!.GetValue<string>();
        await using var tenantB = await StartAsync();

        var throughOther = Data(saved, "Remove");
        throughOther["postmortemId"] = otherId;
        var unknownKind = Data(saved, "Remove");
        unknownKind["kind"] = "postmortem";
        var viaOther = await chat.InvokeAsync("item.remove", throughOther);
        var viaTenantB = await tenantB.InvokeAsync("item.remove", Data(saved, "Remove"));
        var viaUnknownKind = await chat.InvokeAsync("item.remove", unknownKind);

        Assert.AreEqual(404, viaOther["statusCode"]!.GetValue<int>());
        Assert.AreEqual(404, viaTenantB["statusCode"]!.GetValue<int>());
        Assert.AreEqual(400, viaUnknownKind["statusCode"]!.GetValue<int>());
        Assert.HasCount(1, await IdeasAsync(chat, saved), "nothing removed");
    }

    [TestMethod]
    public async Task AJavascriptWorkItemLinkIsRefusedUnderItsFieldAndNothingIsStored()
    {
        await using var chat = await StartAsync();
        chat.SetRoster(Alex, Megan);
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("action");
        var inputs = new Dictionary<string, string>
        {
            ["title"] = "Add a schema check for checkout config",
            ["owner"] = Megan.AadObjectId,
            ["dueDate"] = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["priority"] = "high",
            ["workItemLink"] = "javascript:alert(document.cookie)",
        };

        var again = await chat.PressAsync(form, "Save action", inputs);
        string postmortemId = Cards.Actions(form).First()["data"]!["postmortemId"]!.GetValue<string>();

        StringAssert.Contains(Cards.ErrorUnder(again, "workItemLink"), "full https address");
        Assert.AreEqual("javascript:alert(document.cookie)", Cards.Input(again, "workItemLink")!["value"]!.GetValue<string>(), "kept to fix");
        Assert.IsEmpty(await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().ListAsync(chat.TenantId, postmortemId));

        inputs["workItemLink"] = "https://tracker.example.com/items/42";
        var saved = await chat.PressAsync(again, "Save action", inputs);
        Assert.AreEqual("Action saved.", Cards.Texts(saved).First(), saved.ToJsonString());
        var stored = (await chat.Services.GetRequiredService<PostmortemItemStore<ActionItem>>().ListAsync(chat.TenantId, postmortemId)).Single();
        Assert.AreEqual(ActionPriority.High, stored.Priority);
        Assert.AreEqual("https://tracker.example.com/items/42", stored.WorkItemLink);
        Assert.AreEqual("High", Cards.Facts(saved)["Priority"]);
    }

    private static async Task<JsonNode> SaveIdeaAsync(ChatHarness chat, User author, string text)
    {
        var form = await chat.SendAsync("idea", author);
        return await chat.PressAsync(form, "Save idea", new() { ["category"] = "detect", ["text"] = text }, author);
    }

    private static JsonObject Data(JsonNode card, string button) =>
        (JsonObject)Cards.Actions(card).First(a => a["title"]?.GetValue<string>() == button)["data"]!.DeepClone();

    private static async Task<IReadOnlyList<RemediationIdea>> IdeasAsync(ChatHarness chat, JsonNode card) =>
        await chat.Services.GetRequiredService<PostmortemItemStore<RemediationIdea>>().ListAsync(chat.TenantId, Data(card, "Edit")["postmortemId"]!.GetValue<string>());
}
