using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Core;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>
/// The storage and Graph sync services exactly as the app registers them, on a real Azurite (tables of their own, so
/// each harness has its own outbox) and, with Graph configured, pointed at a <see cref="FakeGraphServer"/>. The
/// worker's loop is off: tests run it step by step with <see cref="RunWorkerAsync"/> and move the fake clock.
/// </summary>
public sealed class GraphSyncHarness : IAsyncDisposable
{
    private readonly List<ServiceProvider> _instances = [];
    private readonly Dictionary<string, string?> _settings;

    private GraphSyncHarness(Dictionary<string, string?> settings, FakeGraphServer? graph)
    {
        _settings = settings;
        Graph = graph;
    }

    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public const string CatalogAppId = "c0ffee00-0000-4000-8000-000000000001";

    public FakeTimeProvider Time { get; } = new(Monday);

    public FakeGraphServer? Graph { get; }

    public string TenantId { get; } = TestData.NewTenantId();

    /// <summary>The first app instance.</summary>
    public ServiceProvider App => _instances[0];

    public RecordingObserver Observer { get; } = new();

    /// <param name="graph">True: Graph configured and pointed at a fake Graph server; false: local mode (.ics files).</param>
    /// <param name="todoSync">The Microsoft To Do sync (Graph:TodoSync:Enabled); off unless asked, so the meeting tests see only their own outbox items.</param>
    public static async Task<GraphSyncHarness> StartAsync(bool graph = true, int maxAttempts = 4, double attemptTimeoutSeconds = 20, string? inviteFolder = null, bool todoSync = false)
    {
        var azurite = await SharedAzurite.GetAsync();
        var server = graph ? await FakeGraphServer.StartAsync() : null;
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
            ["Storage:TimeoutSeconds"] = "30",
            ["Outbox:Enabled"] = "false",
            ["Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:AttemptTimeoutSeconds"] = attemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:LeaseSeconds"] = "60",
            ["Outbox:FirstRetrySeconds"] = "5",
            ["Outbox:CoalesceSeconds"] = "10",
            ["Graph:TodoSync:Enabled"] = todoSync ? "true" : "false",
            ["Graph:TodoSync:BackgroundJob"] = "false",
            ["Graph:LocalInviteFolder"] = inviteFolder ?? Path.Combine(Path.GetTempPath(), "invites-" + Guid.NewGuid().ToString("N")),
        };
        if (server is not null)
        {
            settings["Graph:TenantId"] = Guid.NewGuid().ToString();
            settings["Graph:ClientId"] = Guid.NewGuid().ToString();
            settings["Graph:ClientSecret"] = "not-used-on-loopback";
            settings["Graph:BaseUrl"] = server.BaseUrl.AbsoluteUri.TrimEnd('/');
            settings["Graph:TeamsAppCatalogId"] = CatalogAppId;
            settings["Postmortems:PublicBaseUrl"] = "https://postmortems.contoso.test/";
        }

        var harness = new GraphSyncHarness(settings, server);
        if (server is not null)
        {
            // Subscription lifetimes are checked against the test's clock, as Graph checks them against its own.
            server.Clock = harness.Time;
        }

        await harness.StartInstanceAsync();
        return harness;
    }

    /// <summary>Another app instance on the same storage (a second server, or the app after a restart).</summary>
    public async Task<ServiceProvider> StartInstanceAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddSingleton<IOutboxObserver>(Observer);
        services.AddPostmortemRules(configuration);
        services.AddPostmortemStorage(configuration);
        services.AddOutbox(configuration);
        services.AddGraphSync(configuration);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        _instances.Add(provider);
        return provider;
    }

    public OutboxStore Outbox => App.GetRequiredService<OutboxStore>();

    public MeetingScheduler Scheduler => App.GetRequiredService<MeetingScheduler>();

    /// <summary>One pass of an instance's worker (the first instance's by default).</summary>
    public Task<int> RunWorkerAsync(ServiceProvider? instance = null) =>
        (instance ?? App).GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs the first instance's worker until nothing is due (items it asks for along the way included).</summary>
    public async Task<int> DrainWorkerAsync(int maxPasses = 10)
    {
        int total = 0;
        for (int pass = 0; pass < maxPasses; pass++)
        {
            int handled = await RunWorkerAsync();
            if (handled == 0)
            {
                return total;
            }

            total += handled;
        }

        return total;
    }

    /// <summary>A postmortem with a timeline entry and an action, stored for this harness's tenant.</summary>
    public async Task<Postmortem> SeedPostmortemAsync(string title = "Checkout outage")
    {
        var postmortem = TestData.Postmortem(Time.GetUtcNow()) with { Title = title };
        var created = (await App.GetRequiredService<PostmortemRepository>().CreateAsync(TenantId, postmortem)).Value!;
        var entry = TestData.TimelineEntry(created.Id);
        await App.GetRequiredService<PostmortemItemStore<Core.Timeline.TimelineEntry>>().AddAsync(TenantId, created, entry);
        var action = TestData.Action(created.Id) with { DueDate = DateOnly.FromDateTime(Time.GetUtcNow().AddDays(10).DateTime) };
        await App.GetRequiredService<PostmortemItemStore<ActionItem>>().AddAsync(TenantId, created, action);
        return created;
    }

    /// <summary>An invite as the preview card would confirm it: organizer in New York, two attendees.</summary>
    public MeetingInvite Invite(Postmortem postmortem, MeetingKind kind = MeetingKind.Postmortem, string? transactionId = null) => new()
    {
        Kind = kind,
        TenantId = TenantId,
        PostmortemId = postmortem.Id,
        Subject = "Postmortem: " + postmortem.Title,
        Start = new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.Zero),
        DurationMinutes = 60,
        TimeZone = "America/New_York",
        Organizer = new Attendee(TestData.Alex.ObjectId, TestData.Alex.DisplayName, "alex@contoso.test"),
        Attendees = [new Attendee(TestData.Megan.ObjectId, TestData.Megan.DisplayName, "megan@contoso.test")],
        TransactionId = transactionId ?? Guid.NewGuid().ToString("N"),
        ConversationId = "19:chat@thread.v2",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (Graph is not null)
        {
            await Graph.DisposeAsync();
        }
    }

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "Postmortems.GraphSync.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

/// <summary>Records what the worker told the chat.</summary>
public sealed class RecordingObserver : IOutboxObserver
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string What, OutboxItem Item)> _told = new();

    public IReadOnlyList<(string What, OutboxItem Item)> Told => [.. _told];

    public Task SentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        _told.Enqueue(("sent", item));
        return Task.CompletedTask;
    }

    public Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        _told.Enqueue(("dead", item));
        return Task.CompletedTask;
    }
}
