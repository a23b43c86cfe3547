using System.Diagnostics;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>
/// Teams' per-thread limits (PROTOCOL.md C.4): callers wait instead of getting 429. The limiters of
/// System.Threading.RateLimiting run on the real clock, so these tests take a second or two each: a permit must never
/// come back sooner than Teams' period after it was taken, and the waits are measured from before the first one.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ConnectorRateLimiterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task TheEighthSendWithinOneSecondWaitsInsteadOfBeingSent()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        var chat = harness.Personal();
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= 7; i++)
        {
            await harness.Client.SendToConversationAsync(chat, ConnectorHarness.Message($"message {i}"), CancellationToken.None);
        }

        await harness.Client.SendToConversationAsync(chat, ConnectorHarness.Message("message 8"), CancellationToken.None).WaitAsync(Deadline);

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), clock.Elapsed, "the eighth is held back, not sent to be refused");
        Assert.HasCount(8, harness.Server.Requests);
        Assert.Contains("message 8", harness.Server.Requests[7].Body);
    }

    [TestMethod]
    public async Task AnotherConversationIsNotHeldBack()
    {
        await using var harness = await ConnectorHarness.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            await harness.Client.SendToConversationAsync(harness.Personal("a:1busy"), ConnectorHarness.Message("hi"), CancellationToken.None);
        }

        await harness.Client.SendToConversationAsync(harness.Personal("a:1quiet"), ConnectorHarness.Message("hi"), CancellationToken.None)
            .WaitAsync(Deadline);

        Assert.HasCount(8, harness.Server.Requests);
    }

    [TestMethod]
    public async Task SendsFollowTheOneAndTwoSecondWindows()
    {
        await using var limiter = new ConnectorRateLimiter();
        var send = new ConnectorCall(ConnectorOperation.Send, "a:1");
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 7; i++)
        {
            using var lease = await limiter.AcquireAsync(send, CancellationToken.None);
            Assert.IsTrue(lease.IsAcquired, $"send {i + 1}");
        }

        var eighth = limiter.AcquireAsync(send, CancellationToken.None).AsTask();
        var ninth = limiter.AcquireAsync(send, CancellationToken.None).AsTask();

        using (var lease = await eighth.WaitAsync(Deadline))
        {
            Assert.IsTrue(lease.IsAcquired);
            Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), clock.Elapsed, "7 per second");
        }

        using (var lease = await ninth.WaitAsync(Deadline))
        {
            Assert.IsTrue(lease.IsAcquired);
            Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), clock.Elapsed, "8 per 2 seconds");
        }
    }

    [TestMethod]
    public async Task MemberReadsAllowFourteenPerSecond()
    {
        await using var limiter = new ConnectorRateLimiter();
        var read = new ConnectorCall(ConnectorOperation.ReadMembers, "19:team");
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 14; i++)
        {
            var acquire = limiter.AcquireAsync(read, CancellationToken.None);
            Assert.IsTrue(acquire.IsCompletedSuccessfully && acquire.Result.IsAcquired, $"read {i + 1}");
        }

        var fifteenth = limiter.AcquireAsync(read, CancellationToken.None).AsTask();
        var sendMeanwhile = limiter.AcquireAsync(new ConnectorCall(ConnectorOperation.Send, "19:team"), CancellationToken.None);

        Assert.IsTrue(sendMeanwhile.IsCompletedSuccessfully && sendMeanwhile.Result.IsAcquired, "reads and sends have separate budgets");
        using var lease = await fifteenth.WaitAsync(Deadline);
        Assert.IsTrue(lease.IsAcquired);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), clock.Elapsed, "14 per second");
    }

    [TestMethod]
    public async Task WaitingCanBeCancelledAndGivesItsSlotBack()
    {
        await using var limiter = new ConnectorRateLimiter();
        var send = new ConnectorCall(ConnectorOperation.Send, "a:1");
        for (int i = 0; i < 7; i++)
        {
            using var lease = await limiter.AcquireAsync(send, CancellationToken.None);
        }

        using var cancel = new CancellationTokenSource();
        var abandoned = limiter.AcquireAsync(send, cancel.Token).AsTask();
        Assert.IsFalse(abandoned.IsCompleted, "it waits for the one-second window");
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => abandoned);

        // Read from the windows rather than timed, so a busy machine cannot fail it: the abandoned wait left no one
        // queued in the one-second window and took nothing from the two-second window (8 per 2 s, 7 used), so the
        // next send is the eighth, not a ninth that would wait for the two-second window.
        var windows = limiter.Statistics(send);
        Assert.AreEqual(0, windows[0]!.CurrentQueuedCount, "nobody waits in the one-second window any more");
        Assert.IsGreaterThanOrEqualTo(1L, windows[1]!.CurrentAvailablePermits, "the two-second window still has the slot");

        using var next = await limiter.AcquireAsync(send, CancellationToken.None).AsTask().WaitAsync(Deadline);
        Assert.IsTrue(next.IsAcquired);
    }
}
