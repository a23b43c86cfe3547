using System.Diagnostics;
using System.Net;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>
/// The whole bad-input corpus through the real pipeline in local mode (a loopback caller, unsigned activities), with
/// real Azurite and a local stand-in for the Bot Connector: never a 5xx, refusals where the input is malformed, no
/// state change where nothing may change, and never a byte of another tenant's text in any answer or reply.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ActivityCorpusTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task EveryCaseOfTheCorpusIsAnsweredWithoutA5xxAndChangesNothingItMustNot()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        await using var app = await SecurityApp.StartAsync(IPAddress.Loopback);
        using var client = app.Client();
        var a = await SeededPostmortem.CreateAsync(app.Factory.Services, TestData.NewTenantId(), "19:chat-a@thread.v2", secret: true);
        var b = await SeededPostmortem.CreateAsync(app.Factory.Services, TestData.NewTenantId(), "19:chat-b@thread.v2", secret: false);
        var ids = await SeededPostmortem.IdsAsync(app.Factory.Services, new Uri(connector.BaseUrl, "svc/").ToString(), b, a);
        var corpus = Corpus.Build(ids);
        var aBefore = (await app.SnapshotAsync()).OfTenant(a.TenantId);

        var runner = new CaseRunner(app, client, b.TenantId, a.TenantId);
        var clock = Stopwatch.StartNew();
        foreach (var attack in corpus)
        {
            await runner.RunAsync(attack);
        }

        clock.Stop();
        var aAfter = (await app.SnapshotAsync()).OfTenant(a.TenantId);
        TestContext.WriteLine($"{corpus.Count} cases in {clock.Elapsed.TotalSeconds:F1} s, {runner.SnapshotTime.TotalSeconds:F1} s of it snapshots");
        foreach (var (took, name) in runner.Slowest.OrderByDescending(s => s.Took).Take(5))
        {
            TestContext.WriteLine($"  slow {took.TotalMilliseconds:F0} ms {name}");
        }

        foreach (var (category, count) in runner.CountByCategory)
        {
            TestContext.WriteLine($"  {category}: {count}");
        }

        Assert.IsEmpty(aBefore.Diff(aAfter), "tenant A's rows are exactly as seeded");
        Assert.IsFalse(connector.Requests.Any(r => r.Body.Contains(SeededPostmortem.SecretMarker, StringComparison.Ordinal)), "no reply to B carries A's text");
        Assert.IsEmpty(runner.Failures, string.Join("\n", runner.Failures));
        Assert.IsGreaterThan(250, corpus.Count, "a corpus of a few hundred cases");
    }

    [TestMethod]
    public void TheCorpusIsTheSameForTheSameSeed()
    {
        var ids = new CorpusIds("http://127.0.0.1:1/svc/", "tb", "19:c", "pb", "eb", "W/\"1\"", "ab", "W/\"2\"", "ta", "pa", "ea", "W/\"3\"", "aa", "W/\"4\"");
        var first = Corpus.Build(ids).Select(c => c.ToString()).ToList();
        var second = Corpus.Build(ids).Select(c => c.ToString()).ToList();
        CollectionAssert.AreEqual(first, second);
    }
}
