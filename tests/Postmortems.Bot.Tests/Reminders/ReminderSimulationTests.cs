using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Core;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Bot.Reminders;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

/// <summary>
/// 30 simulated days, the fake clock moving in 15-minute steps, with two app instances on the same tables: at each step
/// both scanners and both outbox workers run at once. A recording handler stands in for the bot's send.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReminderSimulationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static readonly Person Facilitator = new("00000000-0000-0000-0000-00000000f001", "Alex Wilber");
    private static readonly Person Megan = new("00000000-0000-0000-0000-00000000a001", "Megan Bowen");
    private static readonly Person Priya = new("00000000-0000-0000-0000-00000000b001", "Priya Raman");
    private static readonly Person Sam = new("00000000-0000-0000-0000-00000000c001", "Sam Okafor");
    private static readonly Person Lee = new("00000000-0000-0000-0000-00000000d001", "Lee Chen");

    [TestMethod]
    // A generous bound: about a minute on an idle 2-core machine, but it shares the CPU with the browser and app-process
    // tests of this project (it took over 5 minutes at a load average of 44).
    [Timeout(900_000)]
    public async Task ThirtyDaysOfRemindersWithTwoInstances()
    {
        var azurite = await SharedAzurite.GetAsync();
        var time = new FakeTimeProvider(Start);
        var recorder = new RecordingReminderHandler(time);
        string prefix = "r" + Guid.NewGuid().ToString("N")[..10];
        await using var one = await InstanceAsync(azurite.ConnectionString, prefix, time, recorder);
        await using var two = await InstanceAsync(azurite.ConnectionString, prefix, time, recorder);
        string tenant = TestData.NewTenantId();

        // Where people are, as Teams last told the bot. Sam never wrote to the bot: the facilitator's zone is used.
        var contacts = one.GetRequiredService<UserContactStore>();
        await contacts.SaveAsync(tenant, new UserContact { ObjectId = Facilitator.ObjectId, TimeZone = "Pacific/Auckland" });
        await contacts.SaveAsync(tenant, new UserContact { ObjectId = Megan.ObjectId, TimeZone = "Asia/Kolkata" });
        await contacts.SaveAsync(tenant, new UserContact { ObjectId = Priya.ObjectId, TimeZone = "America/Los_Angeles" });
        await contacts.SaveAsync(tenant, new UserContact { ObjectId = Lee.ObjectId, TimeZone = "Europe/London" });

        var postmortem = (await one.GetRequiredService<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem(Start) with { Facilitator = Facilitator })).Value!;
        var store = one.GetRequiredService<PostmortemItemStore<ActionItem>>();
        async Task<ActionItem> AddAsync(string name, Person owner, DateOnly due, ActionStatus status = ActionStatus.Open)
        {
            var action = TestData.Action(postmortem.Id) with { Id = name, Owner = owner, DueDate = due, Status = status, CreatedAt = Start };
            return (await store.AddAsync(tenant, postmortem, action)).Value!;
        }

        await AddAsync("a-kolkata", Megan, new DateOnly(2026, 11, 26));
        var b = await AddAsync("b-los-angeles", Priya, new DateOnly(2026, 12, 1));
        await AddAsync("c-unknown-zone", Sam, new DateOnly(2026, 12, 15));
        await AddAsync("d-london", Lee, new DateOnly(2026, 12, 7), ActionStatus.InProgress);

        // Both instances are down on 26 November from 00:00 to 16:00 UTC (21:30 in Kolkata, inside quiet hours).
        var outage = (From: new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), To: new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.Zero));
        var doneAt = Start.AddDays(10);
        while (time.GetUtcNow() < Start.AddDays(30))
        {
            var now = time.GetUtcNow();
            if (now == doneAt)
            {
                var current = (await store.GetAsync(tenant, postmortem.Id, b.Id))!;
                Assert.AreEqual(WriteStatus.Saved, (await store.UpdateAsync(tenant, ActionItemRules.MoveTo(current, ActionStatus.Done, now).Moved!)).Status);
            }

            if (now < outage.From || now >= outage.To)
            {
                await Task.WhenAll(
                    one.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None),
                    two.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
                await Task.WhenAll(
                    one.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None),
                    two.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));
            }

            time.Advance(TimeSpan.FromMinutes(15));
        }

        string[] expected =
        [
            // Alex facilitates; Monday 23 November 09:00 in Auckland was 4 hours before the start, so it is caught up at 13:00.
            "digest digest-2026-11-23 2026-11-23 13:00",
            "a-kolkata before-2026-11-26 2026-11-24 09:00",
            // Missed in the outage; at 21:30 it was quiet in Kolkata, so it went at 08:00, still within the day.
            "a-kolkata due-2026-11-26 2026-11-27 08:00",
            "a-kolkata overdue-2026-11-26-1 2026-11-27 09:00",
            "b-los-angeles before-2026-12-01 2026-11-29 09:00",
            "digest digest-2026-11-30 2026-11-30 09:00",
            "b-los-angeles due-2026-12-01 2026-12-01 09:00",
            "b-los-angeles overdue-2026-12-01-1 2026-12-02 09:00",
            // b is done on 3 December: nothing more for it.
            "a-kolkata overdue-2026-11-26-2 2026-12-04 09:00",
            "d-london before-2026-12-07 2026-12-05 09:00",
            "digest digest-2026-12-07 2026-12-07 09:00",
            "d-london due-2026-12-07 2026-12-07 09:00",
            "d-london overdue-2026-12-07-1 2026-12-08 09:00",
            "a-kolkata overdue-2026-11-26-3 2026-12-11 09:00",
            // Sam's zone is unknown: the facilitator's (Auckland).
            "c-unknown-zone before-2026-12-15 2026-12-13 09:00",
            "digest digest-2026-12-14 2026-12-14 09:00",
            "c-unknown-zone due-2026-12-15 2026-12-15 09:00",
            "d-london overdue-2026-12-07-2 2026-12-15 09:00",
            "c-unknown-zone overdue-2026-12-15-1 2026-12-16 09:00",
            "a-kolkata overdue-2026-11-26-4 2026-12-18 09:00",
            "digest digest-2026-12-21 2026-12-21 09:00",
            "d-london overdue-2026-12-07-3 2026-12-22 09:00",
            "c-unknown-zone overdue-2026-12-15-2 2026-12-23 09:00",
        ];
        var sent = recorder.Sent.OrderBy(s => s.At).Select(s => s.Line).ToList();
        CollectionAssert.AreEqual(expected.ToList(), sent, "sent:\n" + string.Join("\n", sent));
        Assert.AreEqual(0, (await one.GetRequiredService<OutboxStore>().ListAsync()).Count(i => i.Status != OutboxStatus.Sent), "nothing pending or given up on");
    }

    internal static async Task<ServiceProvider> InstanceAsync(string connectionString, string prefix, TimeProvider time, RecordingReminderHandler recorder, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Storage:TimeoutSeconds"] = "30",
            ["Outbox:Enabled"] = "false",
            ["Outbox:LeaseSeconds"] = "60",
            ["Outbox:AttemptTimeoutSeconds"] = "10",
            ["Graph:LocalInviteFolder"] = Path.Combine(Path.GetTempPath(), "invites-" + Guid.NewGuid().ToString("N")),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(time);
        services.AddSingleton<IHostEnvironment>(new SimulationHost());
        services.AddPostmortemRules(configuration);
        services.AddPostmortemStorage(configuration);
        services.AddOutbox(configuration);
        ReminderFeature.AddReminderScan(services);
        services.AddSingleton<IOutboxHandler>(recorder);
        services.AddSingleton<IOutboxHandler>(new RecordingDigestHandler(recorder));
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>Records each reminder as "action occasion local-time" in the recipient's zone, as the bot would send it.</summary>
    internal sealed class RecordingReminderHandler(TimeProvider time) : IOutboxHandler
    {
        private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _sent = new();

        public string Operation => ReminderScanner.SendOperation;

        public IReadOnlyList<(DateTimeOffset At, string Line)> Sent => [.. _sent];

        public Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
        {
            var reminder = JsonSerializer.Deserialize<ActionReminder>(item.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            Record(reminder.ActionId, reminder.Occasion, reminder.TimeZone);
            return Task.FromResult<string?>(null);
        }

        public void Record(string who, string occasion, string zone)
        {
            var now = time.GetUtcNow();
            _sent.Enqueue((now, $"{who} {occasion} {TimeZones.InZone(now, zone):yyyy-MM-dd HH:mm}"));
        }
    }

    private sealed class RecordingDigestHandler(RecordingReminderHandler recorder) : IOutboxHandler
    {
        public string Operation => ReminderScanner.DigestOperation;

        public Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken)
        {
            var digest = JsonSerializer.Deserialize<FacilitatorDigest>(item.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            recorder.Record("digest", digest.Occasion, digest.TimeZone);
            return Task.FromResult<string?>(null);
        }
    }

    private sealed class SimulationHost : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "Postmortems.GraphSync.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
