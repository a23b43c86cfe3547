using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// Azurite stopped in the middle of a chat with the real app process, then started again on the same port with the
/// same data: people are told nothing was saved and keep what they typed, nothing is half-written, and the very same
/// cards save once storage is back.
/// </summary>
[TestClass]
public sealed class StorageOutageTests
{
    private static readonly string NextWeek = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task SavesDuringAnOutageAreRefusedKindlyLeaveNoRowsAndTheSameCardsSaveAfterStorageReturns()
    {
        string folder = Path.Combine(Path.GetTempPath(), "azurite-outage-" + Guid.NewGuid().ToString("N"));
        var azurite = await AzuriteServer.StartPersistentAsync(folder);
        string prefix = "o" + Guid.NewGuid().ToString("N")[..10];
        ProcessChat? chat = null;
        try
        {
            chat = await ProcessChat.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:TablePrefix"] = prefix,
                ["Storage:TimeoutSeconds"] = "5",
                ["Outbox:Enabled"] = "false",
            });
            var welcome = await chat.SendAsync("new Checkout outage");
            string postmortemId = ProcessChat.PostmortemIdOf(welcome);
            var entryForm = await chat.SendAsync("entry");
            var actionForm = await chat.SendAsync("action");

            await using (var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix))
            {
                var before = await TenantRows.ReadAsync(storage.GetRequiredService<PostmortemTables>(), chat.TenantId);
                await azurite.StopAsync();

                // Storage is down: both saves are answered within the storage timeout, kindly, and nothing typed is lost.
                var entryAnswer = await chat.PressAsync(entryForm, "Save entry", Entry);
                AssertNotSavedAndTextKept(entryAnswer, "description", Entry["description"]);
                var actionAnswer = await chat.PressAsync(actionForm, "Save action", Action);
                AssertNotSavedAndTextKept(actionAnswer, "title", Action["title"]);

                azurite = await AzuriteServer.StartPersistentAsync(folder, azurite.Port);
                var after = await TenantRows.ReadAsync(storage.GetRequiredService<PostmortemTables>(), chat.TenantId);
                CollectionAssert.AreEqual(before.ToList(), after.ToList(), "nothing was half-written during the outage");
                CollectionAssert.Contains(after.ToList(), $"Postmortems/{chat.TenantId}/{postmortemId}", "what was saved before the outage is still there");

                // The same cards, pressed again once storage is back, save; everything reads back, the index included.
                var savedEntry = await PressUntilSavedAsync(chat, entryForm, "Save entry", Entry);
                Assert.AreEqual("Timeline entry saved.", ProcessChat.Texts(savedEntry).First());
                var savedAction = await PressUntilSavedAsync(chat, actionForm, "Save action", Action);
                Assert.IsNull(ProcessChat.Input(savedAction, "title"), "a saved action shows no inputs: " + savedAction.ToJsonString());

                var entries = await storage.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, postmortemId);
                Assert.AreEqual(Entry["description"], entries.Single().Description);
                var actions = await storage.GetRequiredService<PostmortemItemStore<ActionItem>>().ListAsync(chat.TenantId, postmortemId);
                Assert.AreEqual(Action["title"], actions.Single().Title);
                var owned = await storage.GetRequiredService<ActionsByOwnerIndex>().ListAsync(chat.TenantId, ProcessChat.MeganId);
                Assert.AreEqual(actions.Single().Id, owned.Single().Action.Id, "the owner's index row was written with the action");

                var timeline = await chat.SendAsync("timeline");
                StringAssert.Contains(timeline.ToJsonString(), Entry["description"], "the timeline shows the entry");
            }
        }
        catch
        {
            TestContext.WriteLine(chat?.App.Output);
            TestContext.WriteLine(azurite.ToString());
            throw;
        }
        finally
        {
            if (chat is not null)
            {
                await chat.DisposeAsync();
            }

            await azurite.DisposeAsync();
            TryDelete(folder);
        }
    }

    private static Dictionary<string, string> Entry { get; } = new()
    {
        ["occurredDate"] = "2026-11-20",
        ["occurredTime"] = "14:05",
        ["timeZone"] = "Europe/Paris",
        ["actor"] = "Deploy pipeline",
        ["description"] = "Rolled out config change 4711 while storage was down",
        ["outcome"] = "Error rate rose to 12%",
        ["expectations"] = "Canary would catch it",
        ["assumptions"] = "Config goes through the canary",
        ["kind"] = "action",
    };

    private static Dictionary<string, string> Action { get; } = new()
    {
        ["title"] = "Add a schema check for config changes",
        ["owner"] = ProcessChat.MeganId,
        ["dueDate"] = NextWeek,
        ["category"] = "prevent",
    };

    /// <summary>
    /// With storage down, the item cards still know the postmortem from moments ago (it is read at most every 30 s), so
    /// the save itself is refused: the answer is the same form with the "not saved" banner and what was typed kept in
    /// it. Had the postmortem not been read lately, the answer is the Universal Actions error (503) with the kind
    /// message instead, which leaves the card as it was in Teams. Either way nothing typed is lost.
    /// </summary>
    private static void AssertNotSavedAndTextKept(JsonNode answer, string inputId, string typed)
    {
        if (CardOf(answer) is not { } card)
        {
            Assert.AreEqual(503, answer["statusCode"]!.GetValue<int>(), answer.ToJsonString());
            Assert.AreEqual("Your change was not saved: storage is not reachable right now. Please try again in a minute.", answer["value"]!["message"]!.GetValue<string>());
            return;
        }

        Assert.IsTrue(ProcessChat.Texts(card).Any(t => t.StartsWith("Not saved: storage isn't reachable right now.", StringComparison.Ordinal)), answer.ToJsonString());
        Assert.AreEqual(typed, ProcessChat.Input(card, inputId)?["value"]?.GetValue<string>(), $"the {inputId} typed is kept in the form");
    }

    /// <summary>Presses until the answer is a card that is not the "not saved" form: the app's storage client may need
    /// a moment to reconnect after Azurite comes back.</summary>
    private static async Task<JsonNode> PressUntilSavedAsync(ProcessChat chat, JsonNode form, string title, Dictionary<string, string> inputs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var answer = await chat.PressAsync(form, title, inputs);
            var card = CardOf(answer);
            bool refused = answer["statusCode"]?.GetValue<int>() == 503
                || (card is not null && ProcessChat.Texts(card).Any(t => t.StartsWith("Not saved", StringComparison.Ordinal)));
            if (!refused)
            {
                Assert.AreEqual(200, answer["statusCode"]!.GetValue<int>(), answer.ToJsonString());
                return card!;
            }

            Assert.IsTrue(DateTime.UtcNow < deadline, "still not saved 60 s after storage returned: " + answer.ToJsonString());
            await Task.Delay(250);
        }
    }

    /// <summary>The card of a Universal Actions answer ({statusCode: 200, type: card, value: card}), else null.</summary>
    private static JsonNode? CardOf(JsonNode answer) =>
        answer["statusCode"]?.GetValue<int>() == 200 && answer["type"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive" ? answer["value"] : null;

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
