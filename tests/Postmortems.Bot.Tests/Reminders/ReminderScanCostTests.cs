using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Bot.Reminders;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

/// <summary>
/// What the reminder scan costs, counted on the wire: every storage answer passes a counting policy in the Table
/// client's pipeline, which counts the rows (entities) each table returned.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReminderScanCostTests
{
    // A Wednesday: the weekly digest (Mondays) is not due today or tomorrow.
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [TestMethod]
    [Timeout(300_000)]
    public async Task TheReminderScanReadsOnlyTheDueActionsNotEveryAction()
    {
        var azurite = await SharedAzurite.GetAsync();
        var time = new FakeTimeProvider(Start);
        var counter = new RowCounter();
        await using var app = await ReminderSimulationTests.InstanceAsync(
            azurite.ConnectionString,
            "c" + Guid.NewGuid().ToString("N")[..10],
            time,
            new ReminderSimulationTests.RecordingReminderHandler(time),
            services => services.AddSingleton(_ =>
            {
                var options = new TableClientOptions();
                options.AddPolicy(counter, HttpPipelinePosition.PerCall);
                return new TableServiceClient(azurite.ConnectionString, options);
            }));

        string tenant = TestData.NewTenantId();
        var owner = new Person("00000000-0000-0000-0000-00000000a001", "Megan Bowen");
        await app.GetRequiredService<UserContactStore>().SaveAsync(tenant, new UserContact { ObjectId = owner.ObjectId, TimeZone = "UTC" });
        var repository = app.GetRequiredService<PostmortemRepository>();
        var store = app.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var today = DateOnly.FromDateTime(Start.UtcDateTime);

        // 200 actions due in February, in 10 postmortems, and 3 due today (09:00 UTC has passed: their reminder is due).
        const int NotDue = 200;
        for (int p = 0; p < 10; p++)
        {
            var postmortem = (await repository.CreateAsync(tenant, TestData.Postmortem(Start))).Value!;
            await Task.WhenAll(Enumerable.Range(0, NotDue / 10).Select(i =>
                store.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Id = $"later-{p}-{i}", Owner = owner, DueDate = new DateOnly(2027, 2, 1), CreatedAt = Start })));
            if (p < 3)
            {
                await store.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Id = $"today-{p}", Owner = owner, DueDate = today, CreatedAt = Start });
            }
        }

        // The first scan files every new action under its reminder day (each is read once, as it was just written).
        var scanner = app.GetRequiredService<ReminderScanner>();
        Assert.AreEqual(3, await scanner.ScanOnceAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(15));

        counter.Reset();
        Assert.AreEqual(0, await scanner.ScanOnceAsync(CancellationToken.None), "recorded already");
        var read = counter.Rows;

        string summary = string.Join(", ", read.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}"));
        Console.WriteLine("rows read by one scan: " + summary);
        Assert.IsGreaterThanOrEqualTo(3, read.GetValueOrDefault(TableNames.RemindersDue), "the due actions are read (the count works): " + summary);
        Assert.AreEqual(0, read.GetValueOrDefault(TableNames.ActionsByOwner), "no table of all live actions is read: " + summary);
        // The 3 due actions (their next reminder, tomorrow's first overdue one, is up to tomorrow) and the backfill marker.
        Assert.IsLessThanOrEqualTo(3 + 1, read.GetValueOrDefault(TableNames.RemindersDue), summary);
        Assert.IsLessThanOrEqualTo(3, read.GetValueOrDefault(TableNames.PostmortemItems), "one point read per due action: " + summary);
        Assert.IsLessThan(20, read.Values.Sum(), $"with {NotDue} actions not due: " + summary);
    }

    /// <summary>Counts the entities each table answered with ("odata.etag" appears once per entity in a JSON answer).</summary>
    private sealed class RowCounter : HttpPipelineSynchronousPolicy
    {
        private ConcurrentDictionary<string, int> _rows = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, int> Rows => _rows;

        public void Reset() => _rows = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        public override void OnReceivedResponse(HttpMessage message)
        {
            ArgumentNullException.ThrowIfNull(message);
            string body = message.Response.Content?.ToString() ?? string.Empty;
            int rows = 0;
            for (int at = body.IndexOf("odata.etag", StringComparison.Ordinal); at >= 0; at = body.IndexOf("odata.etag", at + 1, StringComparison.Ordinal))
            {
                rows++;
            }

            // "/devstoreaccount1/c0123456789RemindersDue()" → "RemindersDue" (the test's prefix is 11 characters).
            string[] segments = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            string table = segments.Length > 1 ? segments[1].Split('(')[0] : string.Empty;
            table = table.Length > 11 ? table[11..] : table;
            _rows.AddOrUpdate(table, rows, (_, n) => n + rows);
        }
    }
}
