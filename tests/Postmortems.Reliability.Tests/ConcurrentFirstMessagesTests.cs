using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;
using Postmortems.Bot.Conversations;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// A new chat where many people write at the same moment, each through another service URL (Teams moves a
/// conversation between regions): the real app process against Azurite answers every message, and the stored
/// conversation reference ends as the newest one by the activities' timestamps, whatever order they arrive in.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ConcurrentFirstMessagesTests
{
    private const int Writers = 16;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task SixteenFirstMessagesAtOnceWithChangedReferencesAreAllAnsweredAndTheNewestReferenceIsKept()
    {
        var azurite = await SharedAzurite.GetAsync();
        string prefix = "c" + Guid.NewGuid().ToString("N")[..10];
        await using var chat = await ProcessChat.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Outbox:Enabled"] = "false",
        });
        try
        {
            // The first messages of a conversation, not of a process: a process still creating its tables is covered
            // by StorageReadinessGate; here the app is ready, as an instance in service is.
            await chat.App.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
            var sentAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            var activities = Enumerable.Range(0, Writers).Select(i => Message(chat, i, sentAt.AddSeconds(i))).ToList();

            // All at once, the newest not necessarily last.
            using var start = new SemaphoreSlim(0, Writers);
            var posts = activities.OrderBy(_ => Random.Shared.Next()).Select(async a =>
            {
                await start.WaitAsync();
                using var response = await chat.PostAsync(a);
                return (Id: a["id"]!.GetValue<string>(), response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            start.Release(Writers);
            var answers = await Task.WhenAll(posts);

            foreach (var answer in answers)
            {
                Assert.AreEqual(HttpStatusCode.OK, answer.StatusCode, $"activity {answer.Id}: {answer.Body}");
            }

            // Every message is answered, each through the service URL it came with.
            foreach (var (activity, i) in activities.Select((a, i) => (a, i)))
            {
                string id = activity["id"]!.GetValue<string>();
                await chat.Connector.WaitForRequestAsync(
                    r => r.Method == "POST" && r.Path.StartsWith($"/svc{i}/", StringComparison.Ordinal) && r.Path.EndsWith("/activities/" + id, StringComparison.Ordinal),
                    TimeSpan.FromSeconds(60));
            }

            await using var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var conversations = new ConversationStore(storage.GetRequiredService<PostmortemTables>());
            var stored = await conversations.GetAsync(chat.TenantId, chat.ConversationId);
            Assert.AreEqual(ServiceUrl(chat, Writers - 1), stored?.ServiceUrl, "the newest activity's reference is stored");

            // An older activity arriving last does not overwrite the newer reference.
            var late = Message(chat, Writers, sentAt.AddSeconds(-30));
            using (var response = await chat.PostAsync(late))
            {
                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            }

            await chat.Connector.WaitForRequestAsync(r => r.Path.EndsWith("/activities/" + late["id"]!.GetValue<string>(), StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            stored = await conversations.GetAsync(chat.TenantId, chat.ConversationId);
            Assert.AreEqual(ServiceUrl(chat, Writers - 1), stored?.ServiceUrl, "an older activity arriving last leaves the newer reference");
            Assert.IsFalse(chat.App.Output.Contains("not saved now", StringComparison.Ordinal), "no reference was given up on: " + chat.App.Output);
        }
        catch
        {
            TestContext.WriteLine(chat.App.Output);
            throw;
        }
    }

    private static string ServiceUrl(ProcessChat chat, int i) => new Uri(chat.Connector.BaseUrl, $"svc{i}/").ToString();

    /// <summary>"help" from a member new to the chat, through service URL number <paramref name="i"/>, sent at <paramref name="sentAt"/>.</summary>
    private static JsonObject Message(ProcessChat chat, int i, DateTimeOffset sentAt)
    {
        var activity = chat.NewActivity("message");
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["text"] = "help";
        activity["timestamp"] = sentAt.ToString("O", CultureInfo.InvariantCulture);
        activity["serviceUrl"] = ServiceUrl(chat, i);
        activity["from"] = new JsonObject
        {
            ["id"] = $"29:member{i}",
            ["name"] = $"Member {i}",
            ["aadObjectId"] = Guid.NewGuid().ToString(),
        };
        return activity;
    }
}
