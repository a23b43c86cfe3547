using System.Globalization;
using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>A whole postmortem run in the real Agents Playground, filled in card by card as a person would.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PostmortemInChatEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(400_000, CooperativeCancellation = true)]
    public async Task APostmortemRunInTheChatShowsItsTimelineInOrderAndItsActionsWithOwnersAndDates()
    {
        await using var session = await PlaygroundSession.StartAsync();
        try
        {
            // Postmortems are run where the people are: the group chat (Alex, Megan and others).
            await session.OpenGroupChatAsync("Group Chat");
            await session.SendAsync("new Checkout outage");

            var summary = await session.SendAsync("summary");
            await summary.GetByLabel("What happened").FillAsync("Checkout failed for 12% of customers after a config change.");
            await summary.GetByLabel("Customer impact").FillAsync("About 3,000 failed orders over 40 minutes.");
            await ChooseAsync(session, summary, "Severity", "Sev 2 (major)");
            await session.PressAsync(summary, "Save summary", "Summary saved.");

            // Entered out of order, as people remember them.
            foreach (var (time, actor, what) in new[] { ("14:20", "On-call engineer", "Rolled back config 4711"), ("14:05", "Deploy pipeline", "Rolled out config 4711 to all regions"), ("14:12", "Checkout alert", "Fired on error rate above 5%") })
            {
                var entry = await session.SendAsync("entry");
                await entry.GetByLabel("Date").FillAsync("2026-11-20");
                var clock = entry.GetByPlaceholder("Select a time...");
                await clock.FillAsync(time);
                await clock.PressAsync("Enter");
                await entry.GetByLabel("Who or what acted").FillAsync(actor);
                await entry.GetByLabel("What was done, or what happened").FillAsync(what);
                await entry.GetByLabel("What was expected at the time").FillAsync("The canary stage would catch a bad config.");
                await session.PressAsync(entry, "Save entry", "Timeline entry saved.");
            }

            var idea = await session.SendAsync("idea");
            await idea.GetByLabel("Detect: how do we find this sooner, before a customer does?").CheckAsync();
            await idea.GetByLabel("The idea").FillAsync("Alert on the canary's error rate, not only production's.");
            await session.PressAsync(idea, "Save idea", "Idea saved.");

            string soon = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            string later = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (title, owner, due) in new[] { ("Route config changes through the canary stage", "Megan Bowen", later), ("Add a schema check for checkout config", "Alex Wilber", soon) })
            {
                var action = await session.SendAsync("action");
                if (owner == "Megan Bowen")
                {
                    // A wish is refused; the card comes back with the owner kept (the Playground sends her chat id, the
                    // card keeps her Entra object id with a choice named for her), so fixing the title is enough.
                    await action.GetByLabel("What will change").FillAsync("Be more careful with config");
                    await PickPersonAsync(session, action, owner);
                    await action.GetByLabel("Due date").FillAsync(due);
                    await session.PressAsync(action, "Save action", "asks people to try harder");
                    await action.GetByLabel("What will change").FillAsync(title);
                    await session.PressAsync(action, "Save action", "Action saved.");
                    continue;
                }

                await action.GetByLabel("What will change").FillAsync(title);
                await PickPersonAsync(session, action, owner);
                await action.GetByLabel("Due date").FillAsync(due);
                await session.PressAsync(action, "Save action", "Action saved.");
            }

            var timeline = await session.SendAsync("timeline");
            await timeline.ScrollIntoViewIfNeededAsync();
            await session.ScreenshotAsync(TestContext, "chat-timeline.png");
            string timelineText = await timeline.InnerTextAsync();
            int first = timelineText.IndexOf("Rolled out config 4711 to all regions", StringComparison.Ordinal);
            int second = timelineText.IndexOf("Fired on error rate above 5%", StringComparison.Ordinal);
            int third = timelineText.IndexOf("Rolled back config 4711", StringComparison.Ordinal);
            Assert.IsTrue(first >= 0 && first < second && second < third, $"the timeline is in time order:\n{timelineText}");
            StringAssert.Contains(timelineText, "Fri 20 Nov 2026, 14:05");

            var actions = await session.SendAsync("actions");
            await actions.ScrollIntoViewIfNeededAsync();
            await session.ScreenshotAsync(TestContext, "chat-actions.png");
            string actionsText = await actions.InnerTextAsync();
            int schemaCheck = actionsText.IndexOf("Add a schema check for checkout config", StringComparison.Ordinal);
            int canary = actionsText.IndexOf("Route config changes through the canary stage", StringComparison.Ordinal);
            Assert.IsTrue(schemaCheck >= 0 && schemaCheck < canary, $"actions by due date:\n{actionsText}");
            StringAssert.Contains(actionsText[schemaCheck..canary], "Alex Wilber");
            StringAssert.Contains(actionsText[schemaCheck..canary], DateTime.UtcNow.AddDays(7).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture));
            StringAssert.Contains(actionsText[canary..], "Megan Bowen");
            StringAssert.Contains(actionsText[canary..], DateTime.UtcNow.AddDays(14).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture));
        }
        catch
        {
            await session.ScreenshotAsync(TestContext, "chat-failure.png");
            await File.WriteAllTextAsync(Path.Combine(Postmortems.Testing.RepositoryRoot.Path, ".test-artifacts", "chat-failure.html"), await session.Page.ContentAsync());
            TestContext.WriteLine(session.Diagnostics);
            throw;
        }
    }

    /// <summary>The owner field is a people picker: type part of the name, then pick the person from the suggestions.</summary>
    private static async Task PickPersonAsync(PlaygroundSession session, ILocator card, string name)
    {
        var picker = card.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" });
        await picker.ClickAsync();
        await picker.PressSequentiallyAsync(name.Split(' ')[0]);
        await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = name }).First.ClickAsync();
    }

    /// <summary>Picks an option of a choice set, which the Playground renders as a combobox: open it, then click the option.</summary>
    private static async Task ChooseAsync(PlaygroundSession session, ILocator card, string label, string option)
    {
        var combobox = card.GetByRole(AriaRole.Combobox, new() { Name = label });
        await combobox.ClickAsync();
        await session.Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }
}
