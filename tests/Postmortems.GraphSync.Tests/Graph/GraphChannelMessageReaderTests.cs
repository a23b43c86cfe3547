using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Graph;
using Postmortems.Testing;
using static Postmortems.GraphSync.Tests.Graph.GraphTestSupport;

namespace Postmortems.GraphSync.Tests.Graph;

/// <summary>
/// Reading an incident channel's messages with the real Graph SDK against the local stand-in: every page followed
/// (@odata.nextLink), only the incident's window, only people's and tools' messages, and throttling honoured within
/// the time a person waits.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class GraphChannelMessageReaderTests
{
    private const string Team = "0b5b6d1e-1111-4222-8333-944445555666";
    private const string Channel = "19:incident@thread.tacv2";
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task EveryPageIsReadAndOnlyTheWindowsMessagesComeBackOldestFirst()
    {
        await using var server = await FakeGraphServer.StartAsync();
        for (int i = 0; i < 120; i++)
        {
            server.AddChannelMessage(Team, Channel, (1763629200000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Start.AddMinutes(i), i % 2 == 0 ? "Ada Lovelace" : "PagerDuty", $"<p>event {i}</p>", application: i % 2 == 1);
        }

        server.AddChannelMessage(Team, Channel, "1", Start.AddMinutes(5), "system", "<systemEventMessage/>", messageType: "systemEventMessage");
        var reader = new GraphChannelMessageReader(Client(server), Options(server), TimeProvider.System);

        var messages = await reader.ReadAsync(Team, Channel, Start.AddMinutes(10), Start.AddMinutes(69), 200, TestContext.CancellationToken);

        Assert.HasCount(60, messages);
        Assert.AreEqual("<p>event 10</p>", messages[0].Body);
        Assert.AreEqual(Start.AddMinutes(69), messages[^1].CreatedAt);
        Assert.IsTrue(messages[1].SentByApplication);
        Assert.AreEqual("PagerDuty", messages[1].SenderName);
        Assert.AreEqual(3, server.Requests.Count(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)), "120 messages in pages of 50: three pages");
        Assert.AreEqual("teams.microsoft.com", messages[0].WebUrl!.Host);
    }

    [TestMethod]
    public async Task AThrottledPageIsAskedAgainAfterGraphsRetryAfter()
    {
        await using var server = await FakeGraphServer.StartAsync();
        for (int i = 0; i < 70; i++)
        {
            server.AddChannelMessage(Team, Channel, (1763629200000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Start.AddMinutes(i), "Ada Lovelace", "x");
        }

        server.FailNext("GET", "skiptoken", 429, retryAfter: TimeSpan.FromSeconds(1));
        var reader = new GraphChannelMessageReader(Client(server), Options(server), TimeProvider.System);

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var messages = await reader.ReadAsync(Team, Channel, Start, Start.AddHours(2), 200, TestContext.CancellationToken);
        var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.HasCount(70, messages);
        var pages = server.Requests.Where(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();
        Assert.HasCount(3, pages, "the first page, the throttled second, the second again");
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9), took, "waited as Graph asked");
    }

    [TestMethod]
    public async Task ThrottlingLongerThanAPersonCanWaitIsReportedWithGraphsRetryAfter()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.AddChannelMessage(Team, Channel, "1763629200000", Start, "Ada Lovelace", "x");
        server.FailNext("GET", "/messages", 429, retryAfter: TimeSpan.FromSeconds(30));
        var reader = new GraphChannelMessageReader(Client(server), Options(server), TimeProvider.System);

        var failed = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => reader.ReadAsync(Team, Channel, Start, Start.AddHours(1), 10, TestContext.CancellationToken));

        Assert.AreEqual(TimeSpan.FromSeconds(30), failed.RetryAfter);
        Assert.AreEqual(429, failed.Status);
    }

    [TestMethod]
    public async Task WithoutThePermissionTheFailureSaysWhichOneToGrant()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("GET", "/messages", 403);
        var reader = new GraphChannelMessageReader(Client(server), Options(server), TimeProvider.System);

        var failed = await Assert.ThrowsExactlyAsync<ExternalCallException>(() => reader.ReadAsync(Team, Channel, Start, Start.AddHours(1), 10, TestContext.CancellationToken));

        Assert.Contains("ChannelMessage.Read.Group", failed.Message);
        Assert.IsFalse(failed.IsTransient);
    }
}
