using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Load;

/// <summary>
/// "--only learning": search and the overview (issue 20) over HTTP against a tenant of 1,000 postmortems with 20
/// actions, 3 contributing factors, 4 ideas and a takeaway each (20,000 actions). The items are written with bare
/// stores and each postmortem's index row is then built once by the product's own <see cref="PostmortemIndex"/>, exactly
/// the row a write through the app leaves, so the seed takes a minute rather than the 28,000 rebuilds of real use.
/// The app runs in Development on loopback, so the tab's local identity is the caller (the tenant below).
/// </summary>
public static class Learning
{
    private const string Tenant = "00000000-0000-0000-0000-0000000000001";

    private static readonly string[] Services = ["checkout", "payments", "search", "identity", "email", "storage", "ledger", "catalog"];
    private static readonly string[] Tags = ["config change", "capacity", "dependency", "deploy", "certificate", "alerting"];
    private static readonly string[] Conditions =
    [
        "Config changes skip the canary stage", "No alert on disk pressure of the cluster", "Retry storm against the ledger database",
        "Certificate rotation is manual and undocumented", "Runbook for failover is out of date", "Queue depth has no dashboard",
        "Load test does not cover the holiday peak", "Dependency timeout longer than the caller's", "Feature flag defaults differ per region",
        "Schema migration locks the orders table",
    ];

    public static async Task RunAsync(int postmortems, int actionsPerPostmortem, int users, int seconds, int warmUpSeconds, string outputFolder)
    {
        await using var azurite = await AzuriteServer.StartAsync();
        Console.WriteLine($"Seeding {postmortems} postmortems with {actionsPerPostmortem} actions each…");
        var seedTime = Stopwatch.StartNew();
        await SeedAsync(azurite.ConnectionString, postmortems, actionsPerPostmortem);
        Console.WriteLine($"Seeded in {seedTime.Elapsed.TotalSeconds:0} s.");

        await using var app = await AppServer.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString, ["Outbox:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = app.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        string yearAgo = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] searches =
        [
            "q=canary", "q=retry+storm", "label=checkout", "severity=sev1&sort=severity", "overdue=true", "q=certificate&label=identity",
            "status=open&sort=title", "q=dashboard&from=" + yearAgo, "q=nothing+matches+this",
        ];
        string[] overviews = ["from=" + yearAgo, "from=" + yearAgo + "&label=payments", string.Empty];

        // The first overview after start reads the tenant's whole index partition from storage: the one slow request.
        var cold = Stopwatch.StartNew();
        using (var first = await http.GetAsync(new Uri("api/overview?" + overviews[0], UriKind.Relative)))
        {
            first.EnsureSuccessStatusCode();
        }

        cold.Stop();
        var results = new List<ScenarioResult>
        {
            await MeasureAsync(http, "GET /api/search (9 kinds of query, first page of 20)", users, warmUpSeconds, seconds, i => "api/search?" + searches[i % searches.Length]),
            await MeasureAsync(http, "GET /api/search, 1 user", 1, warmUpSeconds, seconds, i => "api/search?" + searches[i % searches.Length]),
            await MeasureAsync(http, $"GET /api/overview (a year: all {postmortems}; one service; 90 days)", users, warmUpSeconds, seconds, i => "api/overview?" + overviews[i % overviews.Length]),
            await MeasureAsync(http, "GET /api/overview, 1 user", 1, warmUpSeconds, seconds, i => "api/overview?" + overviews[i % overviews.Length]),
            await MeasureWhileEditingAsync(http, $"GET /api/overview while someone changes a tag every {EditEvery.TotalMilliseconds:0} ms", users, warmUpSeconds, seconds, i => "api/overview?" + overviews[i % overviews.Length]),
        };

        // A lead who opens the overview after nobody used search or the overview for a while: the snapshot is too old
        // to answer from (IndexSnapshots.MaxAge), so this request waits for the index to be read again.
        await Task.Delay(IndexSnapshots.MaxAge + TimeSpan.FromSeconds(1));
        var idle = Stopwatch.StartNew();
        using (var afterIdle = await http.GetAsync(new Uri("api/overview?" + overviews[0], UriKind.Relative)))
        {
            afterIdle.EnsureSuccessStatusCode();
        }

        idle.Stop();
        string once = $"First overview after start (reads the index from storage): {cold.Elapsed.TotalMilliseconds:0} ms; " +
            $"after {IndexSnapshots.MaxAge.TotalSeconds:0} s unused: {idle.Elapsed.TotalMilliseconds:0} ms";
        Console.WriteLine(once);
        var table = new StringBuilder();
        table.AppendLine("| scenario | users | requests/s | p50 ms | p95 ms | p99 ms | failed |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Concurrency} | {r.Throughput:0} | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {r.Failures} |");
        }

        Console.WriteLine();
        Console.WriteLine(table);
        Directory.CreateDirectory(outputFolder);
        await File.WriteAllTextAsync(
            Path.Combine(outputFolder, "learning.md"),
            $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {postmortems} postmortems, {postmortems * actionsPerPostmortem} actions, {seconds} s per scenario after {warmUpSeconds} s warm-up\n\n{table}\n{once}\n");
        Console.WriteLine($"Written to {outputFolder}/learning.md");
    }

    private static async Task<ScenarioResult> MeasureAsync(HttpClient http, string name, int users, int warmUpSeconds, int seconds, Func<int, string> path)
    {
        Console.WriteLine($"Measuring {name} with {users} user(s)…");
        int next = 0;
        return await LoadRun.RunAsync(name, users, TimeSpan.FromSeconds(warmUpSeconds), TimeSpan.FromSeconds(seconds), async _ =>
        {
            using var response = await http.GetAsync(new Uri(path(Interlocked.Increment(ref next)), UriKind.Relative)).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
    }

    private static readonly TimeSpan EditEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The overview while the tenant changes: a writer puts new tags on the first postmortem through the tab API every
    /// <see cref="EditEvery"/>, so the figures kept per snapshot are worked out again after each change (the worst case
    /// for the overview, where the other rows measure its cache).
    /// </summary>
    private static async Task<ScenarioResult> MeasureWhileEditingAsync(HttpClient http, string name, int users, int warmUpSeconds, int seconds, Func<int, string> path)
    {
        using var stop = new CancellationTokenSource();
        using var first = await http.GetAsync(new Uri("api/search?sort=title", UriKind.Relative)).ConfigureAwait(false);
        using var found = JsonDocument.Parse(await first.Content.ReadAsStringAsync().ConfigureAwait(false));
        string id = found.RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        int edits = 0;
        var writer = Task.Run(async () =>
        {
            string etag = "\"unknown\"";
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/postmortems/{id}/labels", UriKind.Relative))
                {
                    Content = new StringContent($$"""{"services":["checkout"],"tags":["edit {{edits % 5}}"]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation("If-Match", etag);
                using var response = await http.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false));
                var labels = response.IsSuccessStatusCode ? body.RootElement : body.RootElement.GetProperty("current");
                etag = labels.GetProperty("etag").GetString()!; // a 412 names the current version; the next put uses it
                edits += response.IsSuccessStatusCode ? 1 : 0;
                try
                {
                    await Task.Delay(EditEvery, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var result = await MeasureAsync(http, name, users, warmUpSeconds, seconds, path).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        Console.WriteLine($"  {edits} tag changes saved meanwhile.");
        return result;
    }

    private static async Task SeedAsync(string connectionString, int count, int actionsPerPostmortem)
    {
        await using var storage = await TestStorage.CreateAsync(connectionString);
        var tables = storage.GetRequiredService<PostmortemTables>();
        var index = storage.GetRequiredService<PostmortemIndex>();
        var time = TimeProvider.System;
        var bare = new PostmortemRepository(tables, time);
        var actions = new PostmortemItemStore<ActionItem>(tables.Items, new ActionItemMapping(), time);
        var factors = new PostmortemItemStore<ContributingFactor>(tables.Items, new ContributingFactorMapping(), time);
        var ideas = new PostmortemItemStore<RemediationIdea>(tables.Items, new RemediationIdeaMapping(), time);
        var takeaways = new PostmortemItemStore<Takeaway>(tables.Items, new TakeawayMapping(), time);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        using var gate = new SemaphoreSlim(16);
        var work = Enumerable.Range(0, count).Select(async p =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = now.AddHours(-p * 8.7); // about 1,000 incidents over the last year
                var postmortem = (await bare.CreateAsync(Tenant, TestData.Postmortem(started.AddHours(2)) with
                {
                    Title = $"Incident {p}: {Conditions[p % Conditions.Length].ToLowerInvariant()} hit {Services[p % Services.Length]}",
                    Severity = (Severity)(1 + (p % 4)),
                    Status = p % 3 == 0 ? PostmortemStatus.Closed : PostmortemStatus.InReview,
                    StartedAt = started,
                    DetectedAt = started.AddMinutes(5 + (p % 40)),
                    MitigatedAt = started.AddMinutes(30 + (p % 200)),
                    Services = [Services[p % Services.Length], Services[(p / 3) % Services.Length]],
                    Tags = [Tags[p % Tags.Length]],
                }).ConfigureAwait(false)).Value!;
                for (int a = 0; a < actionsPerPostmortem; a++)
                {
                    var owner = Seed.OwnerNumber(1 + ((p + a) % 60));
                    var action = (await actions.AddAsync(Tenant, postmortem, TestData.Action(postmortem.Id) with
                    {
                        Id = Ids.NewItemId(),
                        Title = $"Change {a} so the condition is caught earlier",
                        Owner = owner,
                        Category = (RemediationCategory)(a % 5 == 4 ? 2 : a % 5),
                    }).ConfigureAwait(false)).Value!;
                    if (a % 3 == 0)
                    {
                        await actions.UpdateAsync(Tenant, action with { Status = ActionStatus.Done, UpdatedAt = now }).ConfigureAwait(false);
                    }
                    else if (a % 7 == 0)
                    {
                        await actions.UpdateAsync(Tenant, action with { DueDate = today.AddDays(-(a + 1)) }).ConfigureAwait(false);
                    }
                }

                for (int f = 0; f < 3; f++)
                {
                    await factors.AddAsync(Tenant, postmortem, new ContributingFactor { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = now, Text = Conditions[(p + (f * 3)) % Conditions.Length] + $" in region {p % 7}", Category = (Core.Analysis.FactorCategory)((p + f) % 8) }).ConfigureAwait(false);
                }

                for (int i = 0; i < 4; i++)
                {
                    await ideas.AddAsync(Tenant, postmortem, new RemediationIdea { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = now, Category = (RemediationCategory)((p + i) % 5), Text = $"Idea {i}" }).ConfigureAwait(false);
                }

                await takeaways.AddAsync(Tenant, postmortem, new Takeaway { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = now, Text = "Dashboards we trusted were sampling" }).ConfigureAwait(false);
                await index.RefreshAsync(Tenant, postmortem.Id, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(work).ConfigureAwait(false);
    }
}
