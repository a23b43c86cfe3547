using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Overview;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;
using Postmortems.GraphSync.Tests.Invites;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>
/// "Seen before" in the invite, end to end: earlier postmortems stored in Azurite, the invite sent through the outbox and
/// the real Graph SDK to the local Graph stand-in; and an unreachable index never holds the invite back.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class SeenBeforeInviteTests
{
    [TestMethod]
    public async Task TheEventBodySaysSeenBeforeWithTheEarlierPostmortemsPageDateAndReason()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        string hostile = SeenBeforeAgendaTests.HostileTitles[1] + " " + SeenBeforeAgendaTests.HostileTitles[2];
        var earlier = await SeedAsync(harness, hostile, daysAgo: 40, "Config changes skip the canary stage");
        await SeedAsync(harness, "Disk full on the search cluster", daysAgo: 20, "Disk alert threshold too high", "search", FactorCategory.Capacity);
        var current = await SeedAsync(harness, "Checkout outage", daysAgo: 0, "Config changes bypass the canary stage");

        await harness.Scheduler.ConfirmAsync(harness.Invite(current), "card-1", CancellationToken.None);
        Assert.AreEqual(1, await harness.RunWorkerAsync());

        string html = harness.Graph!.Events.Single().Json["body"]!["content"]!.GetValue<string>();
        StringAssert.Contains(html, "Seen before</h2>");
        StringAssert.Contains(html, $"<a href=\"https://postmortems.contoso.test/tab/postmortems/{earlier.Id}\">{System.Net.WebUtility.HtmlEncode(hostile)}</a>, {earlier.StartedAt:d MMM yyyy}: ");
        StringAssert.Contains(html, "same service or tag “checkout” and a contributing factor of the same category (Change and deployment).</li>");
        Assert.IsFalse(html.Contains("<script", StringComparison.OrdinalIgnoreCase), html);
        Assert.IsFalse(html.Contains("Disk full", StringComparison.Ordinal), "only postmortems that match by the rule");
    }

    [TestMethod]
    public async Task TheFollowUpInviteAlsoSaysSeenBefore()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var earlier = await SeedAsync(harness, "Checkout outage in October", daysAgo: 40, "Config changes skip the canary stage");
        var current = await SeedAsync(harness, "Checkout outage", daysAgo: 0, "Config changes bypass the canary stage");

        await harness.Scheduler.ConfirmAsync(harness.Invite(current, MeetingKind.FollowUp), "card-1", CancellationToken.None);
        await harness.RunWorkerAsync();

        string html = harness.Graph!.Events.Single().Json["body"]!["content"]!.GetValue<string>();
        StringAssert.Contains(html, $"href=\"https://postmortems.contoso.test/tab/postmortems/{earlier.Id}\">Checkout outage in October</a>");
    }

    [TestMethod]
    public async Task WhenTheIndexCannotBeReadTheInviteIsBuiltWithoutSeenBeforeAndAWarningIsLogged()
    {
        // Storage on a port where nothing listens: every read of the index fails as in an outage.
        var settings = new StorageOptions { ConnectionString = AzuriteServer.ConnectionStringFor(FreePort.Next()), TimeoutSeconds = 5 };
        var tables = new PostmortemTables(StorageServiceCollectionExtensions.CreateServiceClient(settings), settings.TablePrefix);
        using var overview = new PracticeOverview(new PostmortemIndex(tables, TimeProvider.System), TimeProvider.System);
        using var logs = new RecordingLogs();
        var source = new InviteBodySource(overview, Options.Create(new PostmortemOptions { PublicBaseUrl = new Uri("https://postmortems.contoso.test/") }), TimeProvider.System, logs.For<InviteBodySource>());
        var document = SampleDocuments.Realistic();
        var invite = new MeetingInvite
        {
            Kind = MeetingKind.Postmortem,
            TenantId = TestData.NewTenantId(),
            PostmortemId = document.Postmortem.Id,
            Subject = "Postmortem",
            Start = DateTimeOffset.UtcNow.AddDays(1),
            DurationMinutes = 60,
            TimeZone = "UTC",
            Organizer = new Attendee(TestData.Alex.ObjectId, TestData.Alex.DisplayName, "alex@contoso.test"),
            Attendees = [],
            TransactionId = Guid.NewGuid().ToString("N"),
        };

        var body = await source.BuildAsync(invite, document, CancellationToken.None);

        StringAssert.Contains(body.Text, Practice.PrimeDirective);
        Assert.IsFalse(body.Text.Contains("Seen before", StringComparison.Ordinal));
        var warning = logs.Entries.Single(e => e.Level == LogLevel.Warning);
        StringAssert.Contains(warning.Message, "without \"Seen before\"");
    }

    /// <summary>A postmortem about one service, started some days ago, with one contributing factor.</summary>
    private static async Task<Postmortem> SeedAsync(
        GraphSyncHarness harness, string title, int daysAgo, string factor, string service = "checkout", FactorCategory category = FactorCategory.ChangeAndDeployment)
    {
        var at = harness.Time.GetUtcNow().AddDays(-daysAgo);
        var postmortem = TestData.Postmortem(at) with { Title = title, Services = [service] };
        var created = (await harness.App.GetRequiredService<PostmortemRepository>().CreateAsync(harness.TenantId, postmortem)).Value!;
        await harness.App.GetRequiredService<PostmortemItemStore<ContributingFactor>>().AddAsync(harness.TenantId, created, new ContributingFactor
        {
            Id = Ids.NewItemId(),
            PostmortemId = created.Id,
            Author = TestData.Alex,
            CreatedAt = at,
            Text = factor,
            Category = category,
        });
        return created;
    }
}
