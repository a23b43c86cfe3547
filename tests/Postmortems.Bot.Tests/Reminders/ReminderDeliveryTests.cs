using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Bot.Tests.Protocol;
using Postmortems.Core.Actions;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;
using Postmortems.Bot.Reminders;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Reminders;

/// <summary>
/// How many times a reminder reaches Teams: two app instances on the same tables, the bot's real send handler and
/// Connector client, a real local HTTP server as the Bot Connector. Reminders are at most once: never twice, not even
/// when an instance stops right after Teams accepted the card; a person Teams does not know is given up on at once.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReminderDeliveryTests
{
    private const string PersonalChat = "a:personal-megan";

    [TestMethod]
    public async Task AReminderReachesItsOwnerOnceWhenTwoInstancesScanAndSendAtOnce()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        var settings = Settings();
        await using var one = BotApp.Create((await SharedAzurite.GetAsync()).ConnectionString, IPAddress.Loopback, settings);
        await using var two = BotApp.Create((await SharedAzurite.GetAsync()).ConnectionString, IPAddress.Loopback, settings);
        var seeded = await SeedAsync(one.Services, connector, knownChat: true);
        Trust(two, connector);

        for (int round = 0; round < 3; round++)
        {
            await Task.WhenAll(
                one.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None),
                two.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
            await Task.WhenAll(
                one.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None),
                two.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));
        }

        Assert.AreEqual(1, ReminderPosts(connector), "one card in Megan's chat");
        var items = (await one.Services.GetRequiredService<OutboxStore>().ListAsync()).Where(i => i.TenantId == seeded.Tenant).ToList();
        Assert.AreEqual(OutboxStatus.Sent, items.Single().Status);
    }

    [TestMethod]
    public async Task AnInstanceThatStopsRightAfterTeamsAcceptedTheReminderDoesNotMakeItArriveTwice()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        var settings = Settings();
        // A short lease, so the take-over comes soon (it must be more than twice a try's time limit).
        settings["Outbox:LeaseSeconds"] = "5";
        settings["Outbox:AttemptTimeoutSeconds"] = "2";
        var crash = new CrashAfterDelivery();
        string storage = (await SharedAzurite.GetAsync()).ConnectionString;
        await using var one = BotApp.Create(storage, IPAddress.Loopback, settings, s => s.AddHttpClient<ConnectorClient>().AddHttpMessageHandler(() => new CrashAfterDeliveryHandler(crash)));
        await using var two = BotApp.Create(storage, IPAddress.Loopback, settings);
        var seeded = await SeedAsync(one.Services, connector, knownChat: true);
        Trust(two, connector);
        Assert.AreEqual(1, await one.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));

        // Instance one hands the card to Teams, Teams accepts it, and the instance stops before it records that.
        using var stopping = new CancellationTokenSource();
        crash.Arm(stopping);
        await Assert.ThrowsAsync<OperationCanceledException>(() => one.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(stopping.Token));
        Assert.AreEqual(1, ReminderPosts(connector), "Teams accepted the card");
        var outbox = one.Services.GetRequiredService<OutboxStore>();
        var left = (await outbox.ListAsync()).Single(i => i.TenantId == seeded.Tenant);
        Assert.AreEqual(OutboxStatus.Pending, left.Status, "the outcome was never recorded");
        Assert.IsNotNull(left.DeliveryStartedAt, "but the hand-over was, before it happened");

        // The other instance (or this one restarted) takes the item over once the lease runs out; scans go on too.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        OutboxItem? item;
        do
        {
            await two.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None);
            await two.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None);
            item = await outbox.GetAsync(left.Id);
            Assert.IsTrue(DateTimeOffset.UtcNow < deadline, "the item was never taken over");
            if (item!.Status == OutboxStatus.Pending)
            {
                await Task.Delay(100);
            }
        }
        while (item.Status == OutboxStatus.Pending);

        Assert.AreEqual(1, ReminderPosts(connector), "the card arrived once");
        Assert.AreEqual(OutboxStatus.DeadLettered, item.Status, "given up on: it may have arrived");
        StringAssert.Contains(item.LastError, "not sent again");
    }

    [TestMethod]
    public async Task AReminderToSomeoneTeamsDoesNotKnowIsGivenUpOnAtOnceWithTheReasonAndOneLogLine()
    {
        await using var connector = await RecordingHttpServer.StartAsync();
        using var logs = new RecordingLogs();
        await using var app = BotApp.Create((await SharedAzurite.GetAsync()).ConnectionString, IPAddress.Loopback, Settings(), s => s.AddSingleton<ILoggerProvider>(logs));
        var seeded = await SeedAsync(app.Services, connector, knownChat: false);

        // Creating Megan's 1:1 chat: the Connector does not know her (answered with a 5xx, as it sometimes is).
        for (int i = 0; i < 6; i++)
        {
            connector.Enqueue(HttpStatusCode.InternalServerError, """{"error":{"code":"UserNotFound","message":"User not found"}}""", pathPrefix: "/svc/v3/conversations");
        }

        Assert.AreEqual(1, await app.Services.GetRequiredService<ReminderScanner>().ScanOnceAsync(CancellationToken.None));
        int logged = logs.Count;
        Assert.AreEqual(1, await app.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None));
        Assert.AreEqual(0, await app.Services.GetRequiredService<OutboxWorker>().RunOnceAsync(CancellationToken.None), "nothing left to retry");

        Assert.AreEqual(1, connector.Requests.Count(r => r.Method == "POST" && r.Path == "/svc/v3/conversations"), "asked once, not retried");
        Assert.AreEqual(0, ReminderPosts(connector));
        var item = (await app.Services.GetRequiredService<OutboxStore>().ListAsync()).Single(i => i.TenantId == seeded.Tenant);
        Assert.AreEqual(OutboxStatus.DeadLettered, item.Status);
        Assert.AreEqual(1, item.Attempts);
        StringAssert.Contains(item.LastError, "UserNotFound");
        StringAssert.Contains(item.LastError, "Not tried again");
        var warnings = logs.Since(logged).Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.AreEqual(1, warnings.Count, "said once:\n" + string.Join("\n", warnings.Select(w => w.Message)));
        StringAssert.Contains(warnings[0].Message, "UserNotFound");
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Storage:TablePrefix"] = "rd" + Guid.NewGuid().ToString("N")[..10],
        ["Postmortems:Reminders:SendAt"] = "00:00",
        ["Postmortems:Reminders:QuietHoursStart"] = "00:00",
        ["Postmortems:Reminders:QuietHoursEnd"] = "00:00",
        ["Postmortems:Reminders:DigestDay"] = DateTime.UtcNow.AddDays(3).DayOfWeek.ToString(),
    };

    private static int ReminderPosts(RecordingHttpServer connector) =>
        connector.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith("/svc/v3/conversations/", StringComparison.Ordinal) && r.Path.EndsWith("/activities", StringComparison.Ordinal));

    private static void Trust(WebApplicationFactory<Program> app, RecordingHttpServer connector) =>
        app.Services.GetRequiredService<TrustedServiceUrls>().Trust(new Uri(connector.BaseUrl, "svc/").ToString());

    /// <summary>Megan owns an action due today (UTC, her zone); her 1:1 chat with the bot is known, or only how to reach her.</summary>
    private static async Task<(string Tenant, Postmortem Postmortem, ActionItem Action)> SeedAsync(IServiceProvider services, RecordingHttpServer connector, bool knownChat)
    {
        await services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        string tenant = TestData.NewTenantId();
        string serviceUrl = new Uri(connector.BaseUrl, "svc/").ToString();
        services.GetRequiredService<TrustedServiceUrls>().Trust(serviceUrl);
        if (knownChat)
        {
            await services.GetRequiredService<ConversationStore>().SaveAsync(tenant, new StoredConversation
            {
                ConversationId = PersonalChat,
                ServiceUrl = serviceUrl,
                BotId = TestActivities.BotId,
                ConversationType = "personal",
            });
        }

        await services.GetRequiredService<UserContactStore>().SaveAsync(tenant, new UserContact
        {
            ObjectId = TestData.Megan.ObjectId,
            TimeZone = "UTC",
            UserId = "29:megan",
            ServiceUrl = serviceUrl,
            BotId = TestActivities.BotId,
            PersonalConversationId = knownChat ? PersonalChat : null,
        });
        var postmortem = (await services.GetRequiredService<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem(DateTimeOffset.UtcNow))).Value!;
        var action = TestData.Action(postmortem.Id) with { Owner = TestData.Megan, DueDate = DateOnly.FromDateTime(DateTime.UtcNow) };
        var saved = (await services.GetRequiredService<PostmortemItemStore<ActionItem>>().AddAsync(tenant, postmortem, action)).Value!;
        return (tenant, postmortem, saved);
    }

    /// <summary>When armed: lets the next card post reach the Connector, then stops the instance before the answer is used.</summary>
    private sealed class CrashAfterDelivery
    {
        private CancellationTokenSource? _stop;

        public void Arm(CancellationTokenSource stop) => _stop = stop;

        public CancellationTokenSource? Take() => Interlocked.Exchange(ref _stop, null);
    }

    private sealed class CrashAfterDeliveryHandler(CrashAfterDelivery crash) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/activities", StringComparison.Ordinal) && response.IsSuccessStatusCode && crash.Take() is { } stop)
            {
                response.Dispose();
                await stop.CancelAsync();
                throw new OperationCanceledException(stop.Token);
            }

            return response;
        }
    }
}
