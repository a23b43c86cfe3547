using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.GraphSync.Channels;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Tests.Outbox;

/// <summary>An incident channel asked for in a team is made through the outbox: the named channel, then the tab.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IncidentChannelOutboxTests
{
    private const string TeamId = "19:team-general@thread.tacv2";

    [TestMethod]
    public async Task ChannelIsCreatedByTheNamingConventionWithThePostmortemTabPinned()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync("Checkout: 500s & timeouts / EU");
        var channels = harness.App.GetRequiredService<IncidentChannels>();

        var (name, created) = await channels.RequestAsync(harness.TenantId, postmortem.Id, postmortem.Title, TeamId, "19:origin@thread.tacv2", new DateOnly(2026, 11, 23), CancellationToken.None);
        var (_, again) = await channels.RequestAsync(harness.TenantId, postmortem.Id, postmortem.Title, TeamId, "19:origin@thread.tacv2", new DateOnly(2026, 11, 23), CancellationToken.None);
        await harness.RunWorkerAsync();

        Assert.IsTrue(created);
        Assert.IsFalse(again, "one channel per postmortem");
        Assert.AreEqual("2026-11-23-rca-checkout-500s-timeouts-eu", name);
        var channel = harness.Graph!.Channels.Single();
        Assert.AreEqual(name, channel.DisplayName);
        var tab = harness.Graph.Tabs.Single();
        Assert.AreEqual(channel.Id, tab.ChannelId);
        StringAssert.EndsWith(tab.Json["teamsApp@odata.bind"]!.GetValue<string>(), "/appCatalogs/teamsApps/" + GraphSyncHarness.CatalogAppId);
        Assert.AreEqual($"https://postmortems.contoso.test/tab/postmortems/{postmortem.Id}", tab.Json["configuration"]!["contentUrl"]!.GetValue<string>());
        Assert.AreEqual(postmortem.Id, tab.Json["configuration"]!["entityId"]!.GetValue<string>());

        var sent = (await harness.Outbox.ListAsync()).Single();
        var result = JsonSerializer.Deserialize<IncidentChannelCreated>(sent.Result!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.AreEqual(channel.Id, result.ChannelId);
        Assert.IsTrue(result.TabAdded);
    }

    [TestMethod]
    public async Task TabFailingOnceIsRetriedWithoutASecondChannel()
    {
        await using var harness = await GraphSyncHarness.StartAsync();
        var postmortem = await harness.SeedPostmortemAsync();
        harness.Graph!.FailNext("POST", "/tabs", 503);
        await harness.App.GetRequiredService<IncidentChannels>().RequestAsync(harness.TenantId, postmortem.Id, postmortem.Title, TeamId, null, new DateOnly(2026, 11, 23), CancellationToken.None);

        await harness.RunWorkerAsync();
        Assert.AreEqual(OutboxStatus.Pending, (await harness.Outbox.ListAsync()).Single().Status);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.RunWorkerAsync();

        Assert.AreEqual(1, harness.Graph.Channels.Count, "the channel made by the first try is reused");
        Assert.AreEqual(1, harness.Graph.Tabs.Count);
        Assert.AreEqual(OutboxStatus.Sent, (await harness.Outbox.ListAsync()).Single().Status);
    }

    [TestMethod]
    public async Task WithoutGraphNoChannelCanBeAskedFor()
    {
        await using var harness = await GraphSyncHarness.StartAsync(graph: false);

        Assert.IsFalse(harness.App.GetRequiredService<IncidentChannels>().IsAvailable);
    }
}
