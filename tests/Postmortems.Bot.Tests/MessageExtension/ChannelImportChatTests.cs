using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Tests.Chat;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;
using ChatCards = Postmortems.Bot.Tests.Chat.Cards;

namespace Postmortems.Bot.Tests.MessageExtension;

/// <summary>
/// "import" in an incident channel: the channel's messages read through Graph (the local stand-in, paged and throttled),
/// picked on a card, added once each, also against entries the message action made; in local mode it says it needs Graph.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ChannelImportChatTests
{
    [TestMethod]
    public async Task TheChosenChannelMessagesBecomeEntriesOnceEachWithTheirTimeAndSender()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var chat = await ChatHarness.StartInTeamAsync(GraphSettings(graph));
        chat.LocalTimezone = "UTC";
        await chat.SendAsync("new Checkout outage");
        var now = DateTimeOffset.UtcNow;
        string channel = chat.TeamId!;
        for (int i = 0; i < 60; i++)
        {
            graph.AddChannelMessage(chat.TeamGroupId, channel, Id(i), now.AddMinutes(-120 + i), i == 3 ? "PagerDuty" : "Ada Lovelace", $"<p>step {i}</p><p>details</p>", application: i == 3);
        }

        // One of them was added with the message action already: the list leaves it out.
        var message = AddToTimelineChatTests.Message(id: Id(5), created: now.AddMinutes(-115).ToString("O", CultureInfo.InvariantCulture));
        var dialog = AddToTimelineChatTests.DialogCard((await chat.InvokeNamedAsync(AddToTimelineChatTests.FetchTask, AddToTimelineChatTests.FetchValue(message))).Body);
        await chat.InvokeNamedAsync(AddToTimelineChatTests.SubmitAction, AddToTimelineChatTests.SubmitValue(dialog, message));
        graph.FailNext("GET", "skiptoken", 429, retryAfter: TimeSpan.FromSeconds(1));

        var card = await chat.SendAsync("import");

        var choices = ChatCards.Input(card, "messages")!["choices"]!.AsArray().Select(c => (Title: c!["title"]!.GetValue<string>(), Value: c["value"]!.GetValue<string>())).ToList();
        Assert.HasCount(30, choices, "at most 30 candidates on the card");
        Assert.IsFalse(choices.Any(c => c.Value == Id(5)), "the message already in the timeline is not offered again");
        Assert.IsTrue(ChatCards.Texts(card).Any(t => t == "1 message is already in the timeline."));
        Assert.AreEqual($"{now.AddMinutes(-117):HH:mm:ss} · PagerDuty · step 3", choices.Single(c => c.Value == Id(3)).Title);

        var added = await chat.PressAsync(card, "Add to timeline", new() { ["messages"] = $"{Id(3)},{Id(4)},{Id(5)}" }, ChatHarness.Megan);

        StringAssert.StartsWith(ChatCards.Texts(added).First(), "Added 2 entries to the timeline. 1 was already there.");
        var entries = await chat.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, PostmortemIdOf(card));
        Assert.HasCount(3, entries);
        var tool = entries.Single(e => e.SourceMessageId == Id(3));
        Assert.AreEqual("PagerDuty", tool.Actor);
        Assert.AreEqual(TimelineEntryKind.Detection, tool.Kind);
        Assert.AreEqual("step 3\ndetails", tool.Description);
        Assert.AreEqual(ChatHarness.Megan.AadObjectId, tool.Author.ObjectId);
        Assert.AreEqual(now.AddMinutes(-117).ToUnixTimeSeconds(), tool.OccurredAt.ToUnixTimeSeconds());
        Assert.IsTrue(graph.Requests.Any(r => r.Path.Contains(chat.TeamGroupId, StringComparison.Ordinal)), "Graph is asked for the team by its Entra group id");

        // Pressed again (a double click): nothing more is stored.
        await chat.PressAsync(card, "Add to timeline", new() { ["messages"] = $"{Id(3)},{Id(4)}" }, ChatHarness.Megan);
        Assert.HasCount(3, await chat.Services.GetRequiredService<PostmortemItemStore<TimelineEntry>>().ListAsync(chat.TenantId, PostmortemIdOf(card)));
    }

    [TestMethod]
    public async Task InLocalModeImportExplainsThatItNeedsGraph()
    {
        await using var chat = await ChatHarness.StartInTeamAsync(new Dictionary<string, string?>());
        await chat.SendAsync("new Checkout outage");

        var reply = await chat.SendAsync("import");

        StringAssert.StartsWith(reply["text"]!.GetValue<string>(), "import reads this channel's messages through Microsoft Graph, which isn't set up");
    }

    [TestMethod]
    public async Task InAGroupChatImportPointsToTheMessageAction()
    {
        await using var graph = await FakeGraphServer.StartAsync();
        await using var chat = await ChatHarness.StartAsync(settings: GraphSettings(graph));
        await chat.SendAsync("new Checkout outage");

        var reply = await chat.SendAsync("import");

        StringAssert.StartsWith(reply["text"]!.GetValue<string>(), "import reads a team channel's messages.");
    }

    private static string Id(int i) => (1763629200000 + i).ToString(CultureInfo.InvariantCulture);

    private static string PostmortemIdOf(JsonNode card) => ChatCards.Actions(card).First()["data"]!["postmortemId"]!.GetValue<string>();

    private static Dictionary<string, string?> GraphSettings(FakeGraphServer graph) => new()
    {
        ["Graph:TenantId"] = Guid.NewGuid().ToString(),
        ["Graph:ClientId"] = Guid.NewGuid().ToString(),
        ["Graph:BaseUrl"] = graph.BaseUrl.AbsoluteUri.TrimEnd('/'),
    };
}
