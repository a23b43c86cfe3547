using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Postmortems.Bot.Tests.MessageExtension;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// The message extension through the real Agents Playground: it builds the composeExtension invokes (fetchTask and
/// submitAction with command context "message", query from the compose box) as Teams does, sends them to the app, and
/// checks the answers' shapes itself (PROTOCOL.md I.7). The entry then shows in the chat's timeline and in the tab.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MessageExtensionEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AMessageAddedFromTheGroupChatShowsInTheTimelineAndTheTabAndTheSearchFindsThePostmortem()
    {
        await using var session = await PlaygroundSession.StartAsync();
        string title = "Database failover " + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = session.PlaygroundUrl };
        try
        {
            await session.OpenGroupChatAsync("Group Chat");
            await session.SendAsync("new " + title);
            var config = (await http.GetFromJsonAsync<JsonObject>("_internal/v1/testConfig", TestContext.CancellationToken))!["config"]!;
            string user = config["currentUser"]!["id"]!.GetValue<string>();
            string chat = config["groupChats"]![0]!["id"]!.GetValue<string>();

            // The payload as the Playground builds it for a message of the chat (its user sent it; no link in the Playground).
            var message = AddToTimelineChatTests.Message(id: "1763640000777", html: "<p>Failing over <at id=\"0\">orders-db</at> to the replica</p>", sender: "Alex Wilber", created: "2026-11-20T09:41:07.000Z");
            message["linkToMessage"] = string.Empty;
            var fetched = await InvokeAsync(http, "composeExtension/fetchTask", AddToTimelineChatTests.FetchValue(message), user, chat);
            var dialog = AddToTimelineChatTests.DialogCard(fetched);
            Assert.AreEqual("Failing over orders-db to the replica", Chat.Cards.Input(dialog, "description")!["value"]!.GetValue<string>());

            var saved = await InvokeAsync(http, "composeExtension/submitAction", AddToTimelineChatTests.SubmitValue(dialog, message, new() { ["assumptions"] = "The replica was in sync" }), user, chat);

            StringAssert.StartsWith(AddToTimelineChatTests.DialogMessage(saved), $"Added to the timeline of {title}:");
            var timeline = await session.SendAsync("timeline");
            await timeline.GetByText("Failing over orders").WaitForAsync(new() { Timeout = 30_000 });
            StringAssert.Contains(await timeline.InnerTextAsync(), "Alex Wilber");
            await session.ScreenshotAsync(TestContext, "message-extension-timeline.png");

            var found = await InvokeAsync(http, "composeExtension/query", new JsonObject
            {
                ["commandId"] = "searchPostmortems",
                ["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = title[^6..] }),
                ["queryOptions"] = new JsonObject { ["skip"] = 0, ["count"] = 25 },
                ["commandContext"] = "compose",
            }, user, chat);
            Assert.AreEqual(title, found!["composeExtension"]!["attachments"]![0]!["preview"]!["content"]!["title"]!.GetValue<string>());

            await using var tabContext = await session.Page.Context.Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
            var tab = await tabContext.NewPageAsync();
            await tab.GotoAsync(new Uri(session.AppUrl, "tab/").ToString());
            await tab.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync(new() { Timeout = 30_000 });
            await tab.GetByText("Failing over orders-db to the replica").First.WaitForAsync(new() { Timeout = 30_000 });
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "message-extension-failure.png");
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AUserOpensTheActionOnAMessageInThePlaygroundAndAddsItToTheTimeline()
    {
        await using var session = await PlaygroundSession.StartAsync();
        string title = "Queue backlog " + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await session.OpenGroupChatAsync("Group Chat");
            await session.SendAsync("new " + title);

            // A message for the team, not for the bot (no mention): the kind of message people add to the timeline.
            var compose = session.Page.Locator("[data-lexical-editor='true']");
            await compose.ClickAsync();
            await session.Page.Keyboard.TypeAsync("Consumers scaled to 12, backlog draining");
            await session.Page.Keyboard.PressAsync("Enter");
            var message = session.Page.GetByText("Consumers scaled to 12, backlog draining").Last;
            await message.WaitForAsync(new() { Timeout = 30_000 });

            // The message's "…" menu, then the Playground's action command with the manifest's command id.
            await message.HoverAsync();
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Show more information" }).Last.ClickAsync(new() { Timeout = 10_000 });
            await session.Page.GetByText("Action Command").First.ClickAsync(new() { Timeout = 10_000 });
            await session.Page.GetByPlaceholder("Input command id or leave blanks").FillAsync("addToTimeline");
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
            var dialog = session.Page.Locator(".ac-adaptiveCard").Filter(new() { HasText = "Add this message to the timeline" }).Last;
            await dialog.WaitForAsync(new() { Timeout = 30_000 });
            await session.ScreenshotAsync(TestContext, "message-extension-dialog.png");

            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add to timeline" }).ClickAsync();
            await session.Page.GetByText($"Added to the timeline of {title}").First.WaitForAsync(new() { Timeout = 30_000 });
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Close" }).First.ClickAsync();

            var timeline = await session.SendAsync("timeline");
            await timeline.GetByText("Consumers scaled to 12, backlog draining").WaitForAsync(new() { Timeout = 30_000 });
            StringAssert.Contains(await timeline.InnerTextAsync(), "Alex Wilber");
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "message-extension-ui-failure.png");
            TestContext.WriteLine(await session.Page.ContentAsync());
            throw;
        }
    }

    /// <summary>The Playground's own invoke API (what its UI calls): it sends the invoke to the app and answers the app's task or composeExtension.</summary>
    private async Task<JsonNode?> InvokeAsync(HttpClient http, string name, JsonObject value, string user, string conversation)
    {
        using var response = await http.PostAsJsonAsync(
            "_conversation/v1/invoke",
            new JsonObject { ["name"] = name, ["value"] = value, ["from"] = new JsonObject { ["id"] = user }, ["conversation"] = new JsonObject { ["id"] = conversation } },
            TestContext.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.IsTrue(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body);
    }
}
