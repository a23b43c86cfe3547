using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Postmortems.Core.Telemetry;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>
/// The outbox's own telemetry, read with OpenTelemetry's in-memory exporter: an activity per try (operation, attempt,
/// outcome) and the product's counters. Not run beside other classes: the product's meter is process-wide, so
/// another test's invite would be counted here too.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class OutboxTelemetryTests
{
    [TestMethod]
    public async Task SentInviteIsOneOutboxActivityAndCountsAnInviteSent()
    {
        var spans = new ExportedItems<Activity>();
        var metrics = new ExportedItems<MetricSnapshot>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ProductTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(ProductTelemetry.Name).AddInMemoryExporter(metrics).Build();
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        string id = (await harness.Outbox.ListAsync()).Single().Id;

        Assert.AreEqual(1, await harness.RunWorkerAsync());

        var job = JobsOf(spans, id).Single();
        Assert.AreEqual("outbox meeting.send", job.DisplayName);
        Assert.AreEqual(1, job.GetTagItem(ProductTelemetry.AttemptTag));
        Assert.AreEqual(OutboxOutcomes.Sent, job.GetTagItem(ProductTelemetry.OutcomeTag));
        Assert.AreEqual(ActivityStatusCode.Unset, job.Status);

        Assert.IsTrue(metering.ForceFlush());
        Assert.AreEqual(1, Sum(metrics, "postmortems.invites.sent", ProductTelemetry.KindTag, "postmortem"));
        Assert.AreEqual(1, Sum(metrics, "postmortems.outbox.jobs", ProductTelemetry.OutcomeTag, OutboxOutcomes.Sent));
        Assert.AreEqual(1, Gauge(metrics, "postmortems.outbox.depth"), "the poll claimed one due job");
    }

    [TestMethod]
    public async Task ThrottledInviteCountsTheThrottleAndItsTryEndsInARetry()
    {
        var spans = new ExportedItems<Activity>();
        var metrics = new ExportedItems<MetricSnapshot>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ProductTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(ProductTelemetry.Name).AddInMemoryExporter(metrics).Build();
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", "/events", 429, retryAfter: TimeSpan.FromSeconds(30));
        await harness.Scheduler.ConfirmAsync(harness.Invite(postmortem), "card-1", CancellationToken.None);
        string id = (await harness.Outbox.ListAsync()).Single().Id;

        await harness.RunWorkerAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.RunWorkerAsync();

        var tries = JobsOf(spans, id);
        CollectionAssert.AreEqual(new object[] { 1, 2 }, tries.Select(t => t.GetTagItem(ProductTelemetry.AttemptTag)).ToArray());
        CollectionAssert.AreEqual(new object[] { OutboxOutcomes.Retry, OutboxOutcomes.Sent }, tries.Select(t => t.GetTagItem(ProductTelemetry.OutcomeTag)).ToArray());

        Assert.IsTrue(metering.ForceFlush());
        Assert.AreEqual(1, Sum(metrics, "postmortems.graph.throttled"));
        Assert.AreEqual(1, Sum(metrics, "postmortems.invites.sent", ProductTelemetry.KindTag, "postmortem"), "sent once, after the wait");
    }

    private static List<Activity> JobsOf(ExportedItems<Activity> spans, string outboxId) =>
        spans.Snapshot().Where(s => s.OperationName == ProductTelemetry.OutboxJobActivity && (s.GetTagItem("postmortems.outbox.id") as string) == outboxId).ToList();

    /// <summary>A counter's total over the points that carry the tag (all points when none is given), as last exported.</summary>
    private static long Sum(ExportedItems<MetricSnapshot> metrics, string name, string? tag = null, string? value = null)
    {
        var metric = metrics.Snapshot().LastOrDefault(m => m.Name == name);
        Assert.IsNotNull(metric, $"{name} was exported");
        return metric.MetricPoints.Where(p => tag is null || TagOf(p, tag) == value).Sum(p => p.GetSumLong());
    }

    private static long Gauge(ExportedItems<MetricSnapshot> metrics, string name)
    {
        var metric = metrics.Snapshot().LastOrDefault(m => m.Name == name);
        Assert.IsNotNull(metric, $"{name} was exported");
        return metric.MetricPoints.Single().GetGaugeLastValueLong();
    }

    private static string? TagOf(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
