using System.Net;
using Postmortems.Bot.Protocol.Connector;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>
/// A reminder is posted at most once: the Connector has no idempotency key, so the client does not repeat a post that
/// may have reached Teams; one that never left (no connection) is still retried.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AtMostOnceSendTests
{
    [TestMethod]
    public async Task AnAtMostOnceSendWhoseConnectionDroppedAfterSendingIsNotRepeated()
    {
        var network = new FailingNetwork(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (simulated)."), failures: int.MaxValue);
        await using var harness = await ConnectorHarness.StartAsync(new RecordingTimeProvider(), primaryHandler: network);

        var failure = await Assert.ThrowsExactlyAsync<ConnectorException>(
            () => harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("Your action is due today"), atMostOnce: true, CancellationToken.None));

        Assert.IsNull(failure.StatusCode, "no answer came");
        Assert.AreEqual(1, network.Attempts, "sent once: it may have arrived");
    }

    [TestMethod]
    public async Task AnAtMostOnceSendThatCouldNotConnectIsRetried()
    {
        var time = new RecordingTimeProvider();
        var network = new FailingNetwork(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (simulated)."), failures: 1);
        await using var harness = await ConnectorHarness.StartAsync(time, primaryHandler: network);

        var send = harness.Client.SendToConversationAsync(harness.Personal(), ConnectorHarness.Message("Your action is due today"), atMostOnce: true, CancellationToken.None);
        await time.AdvanceThroughAsync(d => d < ConnectorResilience.AttemptTimeout);

        Assert.AreEqual("1", await send);
        Assert.AreEqual(2, network.Attempts, "nothing had left the first time, so trying again cannot show it twice");
    }

    /// <summary>Fails the first <c>failures</c> attempts with the given network error, then answers 200.</summary>
    private sealed class FailingNetwork(HttpRequestException error, int failures) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _attempts) <= failures
                ? Task.FromException<HttpResponseMessage>(error)
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":"1"}""") });
    }
}
