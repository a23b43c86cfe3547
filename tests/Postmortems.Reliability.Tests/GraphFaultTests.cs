using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// A confirmed meeting invite sent by the real app process through its outbox, to a Graph stand-in that throttles,
/// fails, hangs, or makes the event and never answers; and the app killed mid-send and started again. Each time the
/// organizer's calendar ends up with exactly one event and the outbox item is Sent.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class GraphFaultTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task AnInviteThroughThrottlingErrorsAndTimeoutsIsCreatedExactlyOnce()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var run = await InviteRun.StartAsync(graph, TestContext, leaseSeconds: 10, attemptTimeoutSeconds: 2);
        graph.FailNext("POST", "/events", 429, retryAfter: TimeSpan.FromSeconds(1));
        graph.FailNext("POST", "/events", 503);
        graph.DelayNext("POST", "/events", TimeSpan.FromSeconds(30), applyFirst: false); // a timeout before Graph did anything
        graph.DelayNext("POST", "/events", TimeSpan.FromSeconds(30), applyFirst: true); // Graph made the event; the answer is lost

        await run.ConfirmAsync();
        await run.WaitForInviteOutAsync(TimeSpan.FromSeconds(60));

        await run.AssertExactlyOneEventAndSentAsync(minimumPosts: 5);
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task AnAppKilledWhileGraphHangsResendsAfterRestartWithoutASecondEvent()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var run = await InviteRun.StartAsync(graph, TestContext, leaseSeconds: 6, attemptTimeoutSeconds: 2);
        graph.DelayNext("POST", "/events", TimeSpan.FromSeconds(60), applyFirst: true);

        await run.ConfirmAsync();
        await graph.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.AreEqual(1, graph.Events.Count, "Graph made the event; its answer is still on the way");

        // A crash before the answer arrives: the item stays leased to the dead instance until its lease runs out.
        await run.Chat.RestartAsync();
        await run.WaitForInviteOutAsync(TimeSpan.FromSeconds(60));

        await run.AssertExactlyOneEventAndSentAsync(minimumPosts: 2);
    }

    /// <summary>A chat with the app process pointed at the Graph stand-in and tables of its own, up to a confirmed invite.</summary>
    private sealed class InviteRun : IAsyncDisposable
    {
        private readonly FakeGraphServer _graph;
        private readonly TestContext _context;
        private readonly ServiceProvider _storage;

        private InviteRun(FakeGraphServer graph, TestContext context, ProcessChat chat, ServiceProvider storage)
        {
            _graph = graph;
            _context = context;
            Chat = chat;
            _storage = storage;
        }

        public ProcessChat Chat { get; }

        private OutboxStore Outbox => new(_storage.GetRequiredService<PostmortemTables>(), TimeProvider.System);

        public static async Task<InviteRun> StartAsync(FakeGraphServer graph, TestContext context, int leaseSeconds, int attemptTimeoutSeconds)
        {
            var azurite = await SharedAzurite.GetAsync();
            string prefix = "g" + Guid.NewGuid().ToString("N")[..10];
            var storage = await TestStorage.CreateAsync(azurite.ConnectionString, prefix);
            var chat = await ProcessChat.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                // Tables of its own, so this app's outbox worker sees only this test's items.
                ["Storage:TablePrefix"] = prefix,
                ["Graph:TenantId"] = Guid.NewGuid().ToString(),
                ["Graph:ClientId"] = Guid.NewGuid().ToString(),
                ["Graph:ClientSecret"] = "unused-on-loopback",
                ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
                ["Outbox:PollIntervalSeconds"] = "0.2",
                ["Outbox:FirstRetrySeconds"] = "0.5",
                ["Outbox:MaxRetrySeconds"] = "2",
                ["Outbox:AttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Outbox:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            return new InviteRun(graph, context, chat, storage);
        }

        public async Task ConfirmAsync()
        {
            await Chat.SendAsync("new Checkout outage");
            var preview = await Chat.SendAsync("schedule");
            var answer = await Chat.PressAsync(preview, "Send invite");
            Assert.AreEqual("The invite is on its way", ProcessChat.Texts(answer["value"]!).First(), answer.ToJsonString());
        }

        public async Task WaitForInviteOutAsync(TimeSpan timeout)
        {
            try
            {
                await Chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("invite is out", StringComparison.Ordinal), timeout);
            }
            catch (TimeoutException)
            {
                _context.WriteLine(Chat.App.Output);
                throw;
            }
        }

        public async Task AssertExactlyOneEventAndSentAsync(int minimumPosts)
        {
            // Wait for the item to settle (sent or given up on), not for a fixed time: on a busy machine the chat can be
            // told before the item's status is written. Once settled it is never claimed again, so no send can follow.
            var items = await Outbox.ListAsync();
            for (var deadline = DateTime.UtcNow.AddSeconds(60); (items.Count != 1 || items[0].Status == OutboxStatus.Pending) && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(200);
                items = await Outbox.ListAsync();
            }

            var posts = _graph.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal)).ToList();
            string tried = string.Join("\n", _graph.Requests.Select(r => $"  {r.Method} {r.PathAndQuery}"));
            Assert.AreEqual(1, _graph.Events.Count, "exactly one event on the organizer's calendar. Requests:\n" + tried);
            // At least one try per fault plus the one answered (a slow machine may time out one more try; still one event).
            Assert.IsTrue(posts.Count >= minimumPosts, $"{posts.Count} POSTs: every fault was met. Requests:\n{tried}");
            var transactionIds = posts.Select(p => JsonNode.Parse(p.Body)!["transactionId"]!.GetValue<string>()).Distinct().ToList();
            Assert.AreEqual(1, transactionIds.Count, "every try carries the same transactionId");

            var item = items.Single();
            Assert.AreEqual(OutboxStatus.Sent, item.Status, item.LastError);
            StringAssert.Contains(item.Result ?? string.Empty, _graph.Events.Single().Id, "the item records the one event");
            Assert.AreEqual(1, Chat.Connector.Requests.Count(r => r.Method == "POST" && r.Body.Contains("invite is out", StringComparison.Ordinal)), "the chat is told once");
        }

        public async ValueTask DisposeAsync()
        {
            await Chat.DisposeAsync();
            await _storage.DisposeAsync();
        }
    }
}
