using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Storage;
using Postmortems.Testing;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;

namespace Postmortems.Bot.Tests.Meetings;

/// <summary>
/// "new" in a team channel offers an incident channel; pressing it makes the channel through the outbox and the
/// Graph stand-in, posts the postmortem there as a new thread, and tells the channel it was asked from.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IncidentChannelChatTests
{
    [TestMethod]
    public async Task NewInATeamOffersAChannelWhichIsCreatedAndGetsTheWelcomeCard()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var chat = await ChatHarness.StartInTeamAsync(new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "c" + Guid.NewGuid().ToString("N")[..10],
            ["Outbox:Enabled"] = "true",
            ["Outbox:PollIntervalSeconds"] = "0.2",
            ["Graph:TenantId"] = Guid.NewGuid().ToString(),
            ["Graph:ClientId"] = Guid.NewGuid().ToString(),
            ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
        });
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);

        var welcome = await chat.SendAsync("new Checkout outage");
        Assert.IsTrue(ChatCards.Actions(welcome).Any(a => a["title"]!.GetValue<string>() == "Create an incident channel"));
        // Teams answers the new thread with its id and the first post's id.
        chat.Connector.Enqueue(HttpStatusCode.Created, """{"id":"19:new-channel@thread.tacv2","activityId":"1700000000999"}""", pathPrefix: "/svc/v3/conversations");

        var answer = await chat.PressAsync(welcome, "Create an incident channel");

        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        StringAssert.Contains(answer.ToJsonString(), $"Creating the channel {today}-rca-checkout-outage");
        var thread = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path == "/svc/v3/conversations", TimeSpan.FromSeconds(60));
        var created = graph.Channels.Single();
        Assert.AreEqual(chat.TeamGroupId, created.TeamId, "the channel is made in the team the button was pressed in, named by its Entra group id as Graph needs (not the 19:… thread id)");
        var body = JsonNode.Parse(thread.Body)!;
        Assert.AreEqual(created.Id, body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.IsTrue(body["isGroup"]!.GetValue<bool>());
        StringAssert.Contains(body["activity"]!.ToJsonString(), "Postmortem: Checkout outage");

        var ready = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        StringAssert.Contains(ready.Path, Uri.EscapeDataString(chat.ConversationId));
        string? linked = await chat.Services.GetRequiredService<ConversationStore>().GetActivePostmortemIdAsync(chat.TenantId, created.Id + ";messageid=1700000000999");
        Assert.IsNotNull(linked, "commands in the new thread act on the postmortem");
    }

    [TestMethod]
    public async Task TheChannelIsNamedAfterTheDayTheIncidentStartedAndPublishingPostsTheSummaryThere()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var chat = await ChatHarness.StartInTeamAsync(new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = "c" + Guid.NewGuid().ToString("N")[..10],
            ["Outbox:Enabled"] = "true",
            ["Outbox:PollIntervalSeconds"] = "0.2",
            ["Graph:TenantId"] = Guid.NewGuid().ToString(),
            ["Graph:ClientId"] = Guid.NewGuid().ToString(),
            ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
        });
        await chat.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        var welcome = await chat.SendAsync("new Checkout outage");
        string id = ChatCards.Actions(welcome).First()["data"]!["postmortemId"]!.GetValue<string>();
        await chat.PressAsync(await chat.SendAsync("summary"), "Save summary", new() { ["startedDate"] = "2026-11-20", ["startedTime"] = "23:30" });
        chat.Connector.Enqueue(HttpStatusCode.Created, """{"id":"19:new-channel@thread.tacv2","activityId":"1700000000999"}""", pathPrefix: "/svc/v3/conversations");

        var answer = await chat.PressAsync(welcome, "Create an incident channel");
        await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        string thread = graph.Channels.Single().Id + ";messageid=1700000000999";
        var repository = chat.Services.GetRequiredService<Postmortems.Core.Postmortems.PostmortemRepository>();
        await Eventually.UntilAsync(async () => (await repository.GetAsync(chat.TenantId, id))?.IncidentChannelConversationId is not null, "the incident channel stored on the postmortem", seconds: 60);

        await chat.SendAsync("review");
        var published = await chat.PressAsync(await chat.SendAsync("publish"), "Publish anyway", new() { ["reason"] = "Testing the channel post." });
        var posted = await chat.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(Uri.EscapeDataString(thread), StringComparison.Ordinal) && r.Body.Contains("Published: Checkout outage", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        StringAssert.Contains(answer.ToJsonString(), "Creating the channel 2026-11-20-rca-checkout-outage", "the incident's day where the user is (Europe/Paris), not today");
        StringAssert.Contains(published.ToJsonString(), "Published: Checkout outage");
        Assert.IsNotNull(posted);
    }

    [TestMethod]
    public async Task WithoutGraphNewInATeamOffersNoChannel()
    {
        await using var chat = await ChatHarness.StartInTeamAsync(new Dictionary<string, string?>());

        var welcome = await chat.SendAsync("new Checkout outage");

        Assert.IsFalse(ChatCards.Actions(welcome).Any(a => a["title"]!.GetValue<string>() == "Create an incident channel"));
    }
}
