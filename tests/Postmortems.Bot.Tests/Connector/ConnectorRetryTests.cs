using System.Globalization;
using System.Net;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>Retries over real HTTP, with waits on a fake clock that the tests move past once the wait has begun.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ConnectorRetryTests
{
    [TestMethod]
    public async Task RetriesAfter429HonouringRetryAfter()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.Enqueue(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests"}}""", new Dictionary<string, string> { ["Retry-After"] = "5" });
        harness.Server.Enqueue(HttpStatusCode.Created, """{"id":"1:sent"}""");

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        var waited = await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(5));

        Assert.HasCount(1, harness.Server.Requests, "nothing is resent before Retry-After has passed");
        Assert.IsFalse(send.IsCompleted);
        time.Advance(waited);
        Assert.AreEqual("1:sent", await send);
        var requests = harness.Server.Requests;
        Assert.HasCount(2, requests);
        Assert.AreEqual(requests[0].Body, requests[1].Body, "the buffered body is sent again");
        Assert.AreEqual(requests[0].Header("Authorization"), requests[1].Header("Authorization"));
    }

    [TestMethod]
    public async Task RetryAfterAsAnHttpDateIsHonoured()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        string in10Seconds = time.GetUtcNow().AddSeconds(10).ToString("R", CultureInfo.InvariantCulture);
        harness.Server.Enqueue(HttpStatusCode.TooManyRequests, null, new Dictionary<string, string> { ["Retry-After"] = in10Seconds });

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        var waited = await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout);

        Assert.AreEqual(TimeSpan.FromSeconds(10), waited);
        Assert.AreEqual("1", await send);
    }

    [TestMethod]
    public async Task ALongRetryAfterIsCappedAtThirtySeconds()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.Enqueue(HttpStatusCode.TooManyRequests, null, new Dictionary<string, string> { ["Retry-After"] = "3600" });

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        // Timers are taken in creation order: first the attempt's own timeout, then the wait before the retry.
        await time.WaitForTimerAsync(d => d == ConnectorResilience.AttemptTimeout);
        var waited = await time.AdvanceThroughAsync(d => d <= ConnectorResilience.MaxDelay);

        Assert.AreEqual(TimeSpan.FromSeconds(30), waited);
        Assert.AreEqual("1", await send);
    }

    [TestMethod]
    [DataRow(HttpStatusCode.ServiceUnavailable)]
    [DataRow(HttpStatusCode.PreconditionFailed)]
    [DataRow(HttpStatusCode.InternalServerError)]
    [DataRow(HttpStatusCode.BadGateway)]
    [DataRow(HttpStatusCode.GatewayTimeout)]
    public async Task ATransientStatusIsRetriedAfterAJitteredBackoff(HttpStatusCode status)
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.Enqueue(status);
        harness.Server.Enqueue(HttpStatusCode.OK, """{"id":"1:ok"}""");

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        var waited = await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout);

        Assert.AreEqual("1:ok", await send);
        Assert.IsTrue(waited >= TimeSpan.FromSeconds(0.5) && waited <= TimeSpan.FromSeconds(1), $"first backoff {waited}");
        Assert.HasCount(2, harness.Server.Requests);
    }

    [TestMethod]
    public async Task GivesUpAfterThreeRetriesWithAConnectorException()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.SetDefault(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"ServiceUnavailable","message":"Try later."}}""");

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (int retry = 0; retry < ConnectorResilience.MaxRetries; retry++)
        {
            waits.Add(await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout));
        }

        var failure = await Assert.ThrowsExactlyAsync<ConnectorException>(() => send);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.AreEqual("ServiceUnavailable", failure.ErrorCode);
        Assert.HasCount(4, harness.Server.Requests, "one attempt and three retries");
        for (int retry = 0; retry < waits.Count; retry++)
        {
            double full = Math.Pow(2, retry);
            Assert.IsTrue(waits[retry].TotalSeconds >= full / 2 && waits[retry].TotalSeconds <= full, $"backoff {retry + 1} was {waits[retry]}");
        }
    }

    [TestMethod]
    public async Task ANetworkErrorIsRetried()
    {
        var time = new RecordingTimeProvider();
        var flaky = new FlakyHandler(failures: 1);
        await using var harness = await ConnectorHarness.StartAsync(time, primaryHandler: flaky);

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout);

        Assert.AreEqual("1", await send);
        Assert.AreEqual(2, flaky.Attempts);
        Assert.HasCount(2, flaky.Bodies);
        Assert.AreEqual(flaky.Bodies[0], flaky.Bodies[1], "the same body is sent again");
        Assert.Contains("hi", flaky.Bodies[0]);
    }

    [TestMethod]
    public async Task AnUnreachableConnectorEndsInAConnectorExceptionWithoutStatus()
    {
        var time = new RecordingTimeProvider();
        var unreachable = new FlakyHandler(failures: int.MaxValue);
        await using var harness = await ConnectorHarness.StartAsync(time, primaryHandler: unreachable);

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        for (int i = 0; i < ConnectorResilience.MaxRetries; i++)
        {
            await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout);
        }

        var failure = await Assert.ThrowsExactlyAsync<ConnectorException>(() => send);
        Assert.IsNull(failure.StatusCode);
        Assert.IsInstanceOfType<HttpRequestException>(failure.InnerException);
        Assert.AreEqual(4, unreachable.Attempts);
    }

    [TestMethod]
    public async Task CancellingStopsTheWaitBetweenRetries()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.Enqueue(HttpStatusCode.TooManyRequests, null, new Dictionary<string, string> { ["Retry-After"] = "20" });
        using var cancel = new CancellationTokenSource();

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), cancel.Token);
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => send);
        Assert.HasCount(1, harness.Server.Requests);
    }

    /// <summary>Throws a network error for the first <c>failures</c> attempts, then answers 200.</summary>
    private sealed class FlakyHandler(int failures) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new HttpRequestException("Connection refused (simulated).");
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":"1"}""") };
        }
    }
}

/// <summary>A call Teams is waiting on gets one short overall budget: a long Retry-After is not waited for.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class WhileTeamsWaitsTests
{
    [TestMethod]
    public async Task AReplyWhileTeamsWaitsDoesNotWaitOutARetryAfterLongerThanItsBudget()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.Enqueue(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests"}}""", new Dictionary<string, string> { ["Retry-After"] = "20" });

        var refused = await Assert.ThrowsExactlyAsync<ConnectorException>(
            () => harness.Client.WhileTeamsWaits().SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None));

        Assert.AreEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.HasCount(1, harness.Server.Requests, "answered at once, within Teams' time limit");
    }

    [TestMethod]
    public async Task AReplyWhileTeamsWaitsIsBoundedByItsOverallTimeout()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await ConnectorHarness.StartAsync(time);
        harness.Server.SetDefault(HttpStatusCode.ServiceUnavailable);

        var send = harness.Client.WhileTeamsWaits().SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("hi"), CancellationToken.None);
        await time.WaitForTimerAsync(d => d == ConnectorResilience.WhileTeamsWaitsTimeout);
        time.Advance(ConnectorResilience.WhileTeamsWaitsTimeout);

        var failure = await Assert.ThrowsExactlyAsync<ConnectorException>(() => send);
        Assert.IsNull(failure.StatusCode, "the overall timeout ended it, not an answer");
        Assert.Contains("5 s", failure.Message);
    }
}
