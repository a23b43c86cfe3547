using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// The real app process on storage behind a <see cref="StorageProxy"/>: it starts on a working Azurite (the tables
/// exist), then storage hangs (accepts connections, never answers) or fails right after a write. Every answer comes
/// within Teams' 15 s, says truthfully whether the thing was saved, and keeps what was typed.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class StorageDeadlineTests
{
    /// <summary>Teams' limit for an invoke's answer. The app's own deadline (10 s by default) is well under it.</summary>
    private static readonly TimeSpan TeamsInvokeLimit = TimeSpan.FromSeconds(15);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ACardSavedWhileStorageHangsIsAnsweredWithinTeamsLimitAsNotSavedKeepsTheTextAndNeverAppearsLater()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var proxy = StorageProxy.Start(azurite.Port);
        string prefix = "h" + Guid.NewGuid().ToString("N")[..10];
        var chat = await StartChatAsync(proxy, prefix);
        try
        {
            string postmortemId = ProcessChat.PostmortemIdOf(await chat.SendAsync("new Checkout outage"));
            var entryForm = await chat.SendAsync("entry");

            proxy.Hang();
            var watch = Stopwatch.StartNew();
            var answer = await chat.PressAsync(entryForm, "Save entry", Entry);
            watch.Stop();
            TestContext.WriteLine($"answered after {watch.Elapsed.TotalSeconds:F1} s with storage hanging ({proxy.Held} connections held)");

            Assert.IsTrue(watch.Elapsed < TeamsInvokeLimit, $"answered after {watch.Elapsed}, past Teams' 15 s");
            Assert.IsTrue(proxy.Held > 0, "storage was asked, and never answered");
            var card = CardOf(answer) ?? throw new AssertFailedException("the answer is the form again: " + answer.ToJsonString());
            Assert.IsTrue(ProcessChat.Texts(card).Any(t => t.StartsWith("Not saved", StringComparison.Ordinal)), "the card says it was not saved: " + card.ToJsonString());
            Assert.AreEqual(Entry["description"], ProcessChat.Input(card, "description")?["value"]?.GetValue<string>(), "the description typed is kept");
            Assert.AreEqual(Entry["assumptions"], ProcessChat.Input(card, "assumptions")?["value"]?.GetValue<string>(), "the assumptions typed are kept");

            // A message while storage still hangs is answered in time too, through the Connector.
            watch.Restart();
            var reply = await chat.SendAsync("timeline");
            watch.Stop();
            TestContext.WriteLine($"message answered after {watch.Elapsed.TotalSeconds:F1} s with storage hanging");
            Assert.IsTrue(watch.Elapsed < TeamsInvokeLimit, $"message answered after {watch.Elapsed}, past 15 s");
            Assert.AreEqual(Postmortems.Bot.Conversations.ActivityDispatcher.StorageDownText, reply["text"]?.GetValue<string>(), reply.ToJsonString());

            // Storage is back. What the user was told failed is not there, now or after the app has talked to storage again.
            proxy.Resume();
            await using var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var entries = storage.GetRequiredService<PostmortemItemStore<TimelineEntry>>();
            var timeline = await SendUntilStorageAnswersAsync(chat, "timeline");
            Assert.IsFalse(timeline.ToJsonString().Contains(Entry["description"], StringComparison.Ordinal), "the timeline does not show it: " + timeline.ToJsonString());
            Assert.IsEmpty(await entries.ListAsync(chat.TenantId, postmortemId), "the entry told 'not saved' was not stored");

            // The very card the user got back saves once when pressed again.
            var saved = await chat.PressAsync(card, "Save entry");
            Assert.AreEqual("Timeline entry saved.", ProcessChat.Texts(CardOf(saved)!).First(), saved.ToJsonString());
            Assert.AreEqual(Entry["description"], (await entries.ListAsync(chat.TenantId, postmortemId)).Single().Description);
        }
        catch
        {
            TestContext.WriteLine(chat.App.Output);
            throw;
        }
        finally
        {
            await chat.DisposeAsync();
        }
    }

    /// <summary>
    /// A cancelled request may already have reached storage and been carried out there: the user was told "not saved",
    /// yet the entry is stored. The "not saved" card keeps the card's id, from which the entry's row key comes, so
    /// pressing it again lands on the same row and reports it saved, once: nothing is stored twice.
    /// </summary>
    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task AnEntryWhoseAnswerWasLostIsReportedSavedOnceWhenTheSameCardIsPressedAgain()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var proxy = StorageProxy.Start(azurite.Port);
        string prefix = "l" + Guid.NewGuid().ToString("N")[..10];
        var chat = await StartChatAsync(proxy, prefix);
        try
        {
            string postmortemId = ProcessChat.PostmortemIdOf(await chat.SendAsync("new Checkout outage"));
            var entryForm = await chat.SendAsync("entry");

            proxy.LoseAnswers();
            var watch = Stopwatch.StartNew();
            var answer = await chat.PressAsync(entryForm, "Save entry", Entry);
            watch.Stop();
            Assert.IsTrue(watch.Elapsed < TeamsInvokeLimit, $"answered after {watch.Elapsed}, past Teams' 15 s");
            var card = CardOf(answer) ?? throw new AssertFailedException("the answer is the form again: " + answer.ToJsonString());
            Assert.IsTrue(ProcessChat.Texts(card).Any(t => t.StartsWith("Not saved", StringComparison.Ordinal)), card.ToJsonString());

            proxy.Resume();
            await using var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var entries = storage.GetRequiredService<PostmortemItemStore<TimelineEntry>>();
            Assert.HasCount(1, await entries.ListAsync(chat.TenantId, postmortemId), "the write reached storage although its answer never came back");

            var again = await chat.PressAsync(card, "Save entry");
            Assert.AreEqual("Timeline entry saved.", ProcessChat.Texts(CardOf(again)!).First(), again.ToJsonString());
            Assert.AreEqual(Entry["description"], (await entries.ListAsync(chat.TenantId, postmortemId)).Single().Description, "stored once");
        }
        catch
        {
            TestContext.WriteLine(chat.App.Output);
            throw;
        }
        finally
        {
            await chat.DisposeAsync();
        }
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ATakeawaySavedBeforeStorageFailsIsAnsweredSavedNotNotSaved()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var proxy = StorageProxy.Start(azurite.Port);
        string prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var chat = await StartChatAsync(proxy, prefix);
        try
        {
            string postmortemId = ProcessChat.PostmortemIdOf(await chat.SendAsync("new Checkout outage"));
            var form = await chat.SendAsync("takeaways");

            // Saving a takeaway writes it, then reads the list for the answer card: that read fails.
            proxy.RefuseAfterNextWrite();
            var answer = await chat.PressAsync(form, "Save takeaway", new Dictionary<string, string> { ["text"] = "Canary checks need real traffic" });
            Assert.IsTrue(proxy.Refused > 0, "storage failed after the write");

            Assert.AreEqual(200, answer["statusCode"]!.GetValue<int>(), answer.ToJsonString());
            Assert.IsFalse(answer.ToJsonString().Contains("Not saved", StringComparison.Ordinal), "not told 'not saved': " + answer.ToJsonString());
            Assert.AreEqual("application/vnd.microsoft.activity.message", answer["type"]!.GetValue<string>(), answer.ToJsonString());
            StringAssert.StartsWith(answer["value"]!.GetValue<string>(), "Saved.");

            proxy.Resume();
            await using var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var takeaways = await storage.GetRequiredService<PostmortemItemStore<Takeaway>>().ListAsync(chat.TenantId, postmortemId);
            Assert.AreEqual("Canary checks need real traffic", takeaways.Single().Text, "it was saved, as the user was told");
        }
        catch
        {
            TestContext.WriteLine(chat.App.Output);
            throw;
        }
        finally
        {
            await chat.DisposeAsync();
        }
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task ANewPostmortemSavedBeforeStorageFailsIsAnsweredSavedNotNothingWasSaved()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var proxy = StorageProxy.Start(azurite.Port);
        string prefix = "n" + Guid.NewGuid().ToString("N")[..10];
        var chat = await StartChatAsync(proxy, prefix);
        try
        {
            await chat.SendAsync("help");

            // "new" stores the postmortem, then links it to the chat: the link fails.
            proxy.RefuseAfterNextWrite();
            var reply = await chat.SendAsync("new Checkout outage");
            Assert.IsTrue(proxy.Refused > 0, "storage failed after the write");
            string text = reply["text"]?.GetValue<string>() ?? reply.ToJsonString();
            Assert.AreNotEqual(Postmortems.Bot.Conversations.ActivityDispatcher.StorageDownText, text, "not told 'nothing was saved'");
            StringAssert.StartsWith(text, "Saved.");

            proxy.Resume();
            await using var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var stored = await storage.GetRequiredService<PostmortemRepository>().ListAsync(chat.TenantId);
            Assert.AreEqual("Checkout outage", stored.Items.Single().Title, "it was saved, as the user was told");
        }
        catch
        {
            TestContext.WriteLine(chat.App.Output);
            throw;
        }
        finally
        {
            await chat.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Entry { get; } = new()
    {
        ["occurredDate"] = "2026-11-20",
        ["occurredTime"] = "14:05",
        ["timeZone"] = "Europe/Paris",
        ["actor"] = "Deploy pipeline",
        ["description"] = "Rolled out config change 4711 while storage hung",
        ["outcome"] = "Error rate rose to 12%",
        ["expectations"] = "Canary would catch it",
        ["assumptions"] = "Config goes through the canary",
        ["kind"] = "action",
    };

    private static Task<ProcessChat> StartChatAsync(StorageProxy proxy, string prefix) =>
        ProcessChat.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = proxy.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Outbox:Enabled"] = "false",

            // These tests tell which write the proxy lets through: no background job may write meanwhile.
            ["Search:Backfill:Enabled"] = "false",
        });

    /// <summary>Sends until the answer is not "storage is down": the app's client may take a moment to reconnect.</summary>
    private static async Task<JsonNode> SendUntilStorageAnswersAsync(ProcessChat chat, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var reply = await chat.SendAsync(text);
            if (reply["text"]?.GetValue<string>() != Postmortems.Bot.Conversations.ActivityDispatcher.StorageDownText)
            {
                return reply;
            }

            Assert.IsTrue(DateTime.UtcNow < deadline, "storage still unreachable 60 s after it came back");
        }
    }

    /// <summary>The card of a Universal Actions answer ({statusCode: 200, type: card, value: card}), else null.</summary>
    private static JsonNode? CardOf(JsonNode answer) =>
        answer["statusCode"]?.GetValue<int>() == 200 && answer["type"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive" ? answer["value"] : null;
}
