using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>Teams' per-thread limits (PROTOCOL.md C.4) on a fake clock: callers wait instead of getting 429.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ConnectorRateLimiterTests
{
    [TestMethod]
    public async Task TheEighthSendWithinOneSecondWaitsInsteadOfBeingSent()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        var chat = harness.Personal();
        for (int i = 1; i <= 7; i++)
        {
            await harness.Client.SendToConversationAsync(chat, ConnectorHarness.Message($"message {i}"), CancellationToken.None);
        }

        var eighth = harness.Client.SendToConversationAsync(chat, ConnectorHarness.Message("message 8"), CancellationToken.None);
        var waited = await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1));

        Assert.IsFalse(eighth.IsCompleted);
        Assert.HasCount(7, harness.Server.Requests, "the eighth is held back, not sent to be refused");
        time.Advance(waited);
        await eighth;
        Assert.HasCount(8, harness.Server.Requests);
        Assert.Contains("message 8", harness.Server.Requests[7].Body);
    }

    [TestMethod]
    public async Task AnotherConversationIsNotHeldBack()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        for (int i = 0; i < 7; i++)
        {
            await harness.Client.SendToConversationAsync(harness.Personal("a:1busy"), ConnectorHarness.Message("hi"), CancellationToken.None);
        }

        await harness.Client.SendToConversationAsync(harness.Personal("a:1quiet"), ConnectorHarness.Message("hi"), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.HasCount(8, harness.Server.Requests);
    }

    [TestMethod]
    public async Task SendsFollowTheOneAndTwoSecondWindows()
    {
        var time = new RecordingTimeProvider();
        var limiter = new ConnectorRateLimiter(time);
        for (int i = 0; i < 7; i++)
        {
            Assert.IsTrue(limiter.WaitAsync(ConnectorOperation.Send, "a:1", CancellationToken.None).IsCompletedSuccessfully, $"send {i + 1}");
        }

        var eighth = limiter.WaitAsync(ConnectorOperation.Send, "a:1", CancellationToken.None);
        var ninth = limiter.WaitAsync(ConnectorOperation.Send, "a:1", CancellationToken.None);

        Assert.AreEqual(TimeSpan.FromSeconds(1), await time.WaitForTimerAsync(_ => true), "7 per second");
        Assert.AreEqual(TimeSpan.FromSeconds(2), await time.WaitForTimerAsync(_ => true), "8 per 2 seconds");
        time.Advance(TimeSpan.FromSeconds(1));
        await eighth;
        Assert.IsFalse(ninth.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await ninth;
    }

    [TestMethod]
    public async Task MemberReadsAllowFourteenPerSecond()
    {
        var time = new RecordingTimeProvider();
        var limiter = new ConnectorRateLimiter(time);
        for (int i = 0; i < 14; i++)
        {
            Assert.IsTrue(limiter.WaitAsync(ConnectorOperation.ReadMembers, "19:team", CancellationToken.None).IsCompletedSuccessfully, $"read {i + 1}");
        }

        var fifteenth = limiter.WaitAsync(ConnectorOperation.ReadMembers, "19:team", CancellationToken.None);
        var sendMeanwhile = limiter.WaitAsync(ConnectorOperation.Send, "19:team", CancellationToken.None);

        Assert.IsFalse(fifteenth.IsCompleted);
        Assert.IsTrue(sendMeanwhile.IsCompletedSuccessfully, "reads and sends have separate budgets");
        time.Advance(await time.WaitForTimerAsync(_ => true));
        await fifteenth;
    }

    [TestMethod]
    public async Task WaitingCanBeCancelledAndGivesItsSlotBack()
    {
        var time = new RecordingTimeProvider();
        var limiter = new ConnectorRateLimiter(time);
        for (int i = 0; i < 7; i++)
        {
            await limiter.WaitAsync(ConnectorOperation.Send, "a:1", CancellationToken.None);
        }

        using var cancel = new CancellationTokenSource();
        var abandoned = limiter.WaitAsync(ConnectorOperation.Send, "a:1", cancel.Token);
        await time.WaitForTimerAsync(_ => true);
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => abandoned);

        var next = limiter.WaitAsync(ConnectorOperation.Send, "a:1", CancellationToken.None);
        Assert.AreEqual(TimeSpan.FromSeconds(1), await time.WaitForTimerAsync(_ => true), "the next send takes the freed slot, not the one after it");
        time.Advance(TimeSpan.FromSeconds(1));
        await next;
    }
}
