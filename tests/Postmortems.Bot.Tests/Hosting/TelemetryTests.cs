using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Postmortems.Bot.Hosting;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Bot.Tests.Protocol;
using Postmortems.Core.Telemetry;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Hosting;

/// <summary>
/// OpenTelemetry through the app's real pipeline (WebApplicationFactory, real Azurite), with the in-memory exporter
/// standing in for Azure Monitor. Not run beside other classes: the product's meter is process-wide, so another test
/// saving a timeline entry at the same time would be counted here too.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class TelemetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task CardSubmitIsOneTraceFromTheRequestToTheStorageWriteAndIsCountedByVerb()
    {
        var spans = new ExportedItems<Activity>();
        var metrics = new ExportedItems<MetricSnapshot>();
        await using var chat = await ChatHarness.StartAsync(
            settings: new Dictionary<string, string?> { [ProductTelemetryExtensions.EnabledKey] = "true" },
            services: s =>
            {
                s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(spans));
                s.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(metrics));
            });
        await chat.SendAsync("new Checkout outage");
        var form = await chat.SendAsync("add entry");

        // Our own trace id, so spans from other apps in this process (the listeners are process-wide) are left out.
        var traceId = ActivityTraceId.CreateRandom();
        chat.Client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var saved = await chat.PressAsync(form, "Save entry", TimelineEntryInputs());
        chat.Client.DefaultRequestHeaders.Remove("traceparent");
        Assert.IsNull(Chat.Cards.ErrorUnder(saved, "actor"), "the entry was saved");

        var inTrace = await WaitForAsync(
            () => spans.Snapshot().Where(s => s.TraceId == traceId).ToList(),
            found => found.Any(s => s.Kind == ActivityKind.Server));
        var server = inTrace.Single(s => s.Kind == ActivityKind.Server);
        Assert.AreEqual("Microsoft.AspNetCore", server.Source.Name);
        Assert.AreEqual("POST /api/messages", server.DisplayName);
        Assert.AreEqual(200, Convert.ToInt32(server.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));

        // The storage write: the Azure SDK's HTTP span, or HttpClient's when the Azure SDK's spans were switched off
        // before this test (Azure.Core reads its switch once per process), under the request's span.
        int storagePort = (await SharedAzurite.GetAsync()).Port;
        var storageWrites = inTrace
            .Where(s => s.Kind == ActivityKind.Client && s.Source.Name is "Azure.Core.Http" or "System.Net.Http")
            .Where(s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains($"127.0.0.1:{storagePort}", StringComparison.Ordinal) == true || (t.Key == "server.port" && Equals(t.Value, storagePort))))
            .Where(s => (s.GetTagItem("http.request.method") ?? s.GetTagItem("http.method"))?.ToString() is "POST" or "PUT" or "PATCH" or "MERGE")
            .ToList();
        Assert.IsNotEmpty(storageWrites, "a storage write in the trace: " + string.Join(", ", inTrace.Select(s => $"{s.Source.Name}:{s.DisplayName}")));
        Assert.IsTrue(storageWrites.All(w => Descends(w, server, inTrace)), "every storage call is parented under the request");

        var provider = chat.Services.GetRequiredService<MeterProvider>();
        Assert.IsTrue(provider.ForceFlush());
        var submitted = metrics.Snapshot().Last(m => m.Name == "postmortems.cards.submitted");
        var saves = submitted.MetricPoints.Where(p => Tag(p, ProductTelemetry.VerbTag) == "entry.save").ToList();
        Assert.HasCount(1, saves);
        Assert.AreEqual(1, saves[0].GetSumLong(), "one card submitted with the verb entry.save");
    }

    [TestMethod]
    public async Task WithoutAConnectionStringNothingListensAndNothingIsExported()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = BotApp.Create(azurite.ConnectionString, IPAddress.Loopback);
        using var client = app.CreateClient();

        Assert.AreEqual(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/no-such-page", UriKind.Relative))).StatusCode, "the app runs");

        Assert.IsNull(app.Services.GetService<TracerProvider>(), "no tracer provider, so no spans are made for requests");
        Assert.IsNull(app.Services.GetService<MeterProvider>(), "no meter provider, so nothing is measured or exported");
    }

    [TestMethod]
    public async Task ConfiguredConnectionStringSendsTheRequestSpanToApplicationInsights()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var ingestion = await RecordingHttpServer.StartAsync();
        ingestion.SetDefault(HttpStatusCode.OK, """{"itemsReceived":1,"itemsAccepted":1,"errors":[]}""");
        string endpoint = ingestion.BaseUrl.AbsoluteUri;
        var settings = new Dictionary<string, string?>
        {
            [ProductTelemetryExtensions.ConnectionStringKey] = $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={endpoint};LiveEndpoint={endpoint}",
        };
        await using var app = BotApp.Create(azurite.ConnectionString, IPAddress.Loopback, settings);
        using var client = app.CreateClient();

        await client.GetAsync(new Uri("/tab/", UriKind.Relative));
        Assert.IsTrue(app.Services.GetRequiredService<TracerProvider>().ForceFlush());

        var track = await ingestion.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/track", StringComparison.Ordinal), Deadline);
        Assert.IsNotNull(track);
    }

    private static Dictionary<string, string> TimelineEntryInputs() => new()
    {
        ["occurredDate"] = "2026-11-20",
        ["occurredTime"] = "14:05",
        ["timeZone"] = "Europe/Paris",
        ["actor"] = "Deploy pipeline",
        ["description"] = "Rolled out config 4711",
        ["outcome"] = "Error rate rose to 12%",
        ["expectations"] = "Canary would catch it",
        ["assumptions"] = "Config goes through the canary",
        ["kind"] = "action",
    };

    private static bool Descends(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static string? Tag(MetricPoint point, string key)
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

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = read();
            if (done(value) || DateTime.UtcNow > until)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
