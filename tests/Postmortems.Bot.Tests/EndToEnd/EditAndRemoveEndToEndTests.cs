using System.Globalization;
using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// Two people in one group chat, each in their own Agents Playground (same group chat id, a different current user):
/// Alex starts the postmortem (so facilitates it), Megan writes items, and both edit, remove and undo them. Someone who
/// neither wrote an item nor facilitates is refused, and nothing changes.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class EditAndRemoveEndToEndTests
{
    private const string RefusedForMegan = "Only Alex Wilber, who wrote this and facilitates the postmortem, can remove it. Nothing was changed.";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task TwoPeopleEditRemoveAndRestoreEachKindOfItemAndANonAuthorsRemoveIsRefused()
    {
        string chat = "19:" + Guid.NewGuid().ToString("N") + "@thread.v2";
        await using var alex = await PlaygroundSession.StartAsync(configYaml: PlaygroundSeats.Config(0, chat));
        await using var megan = await PlaygroundSession.JoinAsync(alex, PlaygroundSeats.Config(1, chat));
        try
        {
            await alex.OpenGroupChatAsync("Group Chat");
            await megan.OpenGroupChatAsync("Group Chat");
            await alex.SendAsync("new Checkout outage");

            // A timeline entry by Alex (the facilitator): Megan may not remove it; Alex removes it and undoes that.
            var entry = await alex.SendAsync("entry");
            await entry.GetByLabel("Date").FillAsync("2026-11-20");
            var clock = entry.GetByPlaceholder("Select a time...");
            await clock.FillAsync("14:05");
            await clock.PressAsync("Enter");
            await entry.GetByLabel("Who or what acted").FillAsync("Deploy pipeline");
            await entry.GetByLabel("What was done, or what happened").FillAsync("Rolled out config 4711 to all regions");
            await alex.PressAsync(entry, "Save entry", "Timeline entry saved.");

            var meganTimeline = await megan.SendAsync("timeline");
            await meganTimeline.GetByText("Rolled out config 4711").First.WaitForAsync();
            // The client shows the refusal next to the card (not in it), and the card stays as it was.
            await meganTimeline.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
            await megan.Page.GetByText(RefusedForMegan).First.WaitForAsync(new() { Timeout = 30_000 });
            StringAssert.Contains(await (await megan.SendAsync("timeline")).InnerTextAsync(), "Rolled out config 4711", "refused: nothing changed");

            await alex.PressAsync(entry, "Remove", "The timeline entry was removed.");
            Assert.DoesNotContain("Rolled out config 4711", await (await megan.SendAsync("timeline")).InnerTextAsync(), "gone from the list");
            await alex.PressAsync(entry, "Undo", "The timeline entry is back, as it was.");
            StringAssert.Contains(await (await megan.SendAsync("timeline")).InnerTextAsync(), "Rolled out config 4711", "back in the list");

            // An idea by Megan: edited (the same card, filled in), removed by her, and restored.
            var idea = await megan.SendAsync("idea");
            await idea.GetByLabel("Detect: how do we find this sooner, before a customer does?").CheckAsync();
            await idea.GetByLabel("The idea").FillAsync("Alert on the canary's error rate.");
            await megan.PressAsync(idea, "Save idea", "Idea saved.");
            await megan.PressAsync(idea, "Edit", "Edit a remediation idea");
            Assert.AreEqual("Alert on the canary's error rate.", await idea.GetByLabel("The idea").InputValueAsync(), "the form comes back filled in");
            await idea.GetByLabel("The idea").FillAsync("Alert on the canary's error rate, not only production's.");
            await megan.PressAsync(idea, "Save idea", "Idea updated.");
            StringAssert.Contains(await idea.InnerTextAsync(), "not only production's");
            await megan.PressAsync(idea, "Remove", "The idea was removed.");
            await megan.PressAsync(idea, "Undo", "The idea is back, as it was.");

            // A 5 whys chain by Megan.
            var whys = await megan.SendAsync("whys");
            await whys.GetByLabel("What was observed").FillAsync("Checkout returned errors for 40 minutes");
            await whys.GetByLabel("Why? (1)").FillAsync("The config was invalid");
            await megan.PressAsync(whys, "Save chain", "5 whys saved.");
            await megan.PressAsync(whys, "Edit", "Edit a 5 whys chain");
            await whys.GetByLabel("Why? (2)").FillAsync("Config skips the schema check");
            await megan.PressAsync(whys, "Save chain", "5 whys updated.");
            StringAssert.Contains(await whys.InnerTextAsync(), "Config skips the schema check");
            await megan.PressAsync(whys, "Remove", "The 5 whys chain was removed.");
            await megan.PressAsync(whys, "Undo", "The 5 whys chain is back, as it was.");

            // A takeaway by Megan.
            var takeaway = await megan.SendAsync("takeaway");
            await takeaway.GetByLabel("What did you learn?").FillAsync("Config is code");
            await megan.PressAsync(takeaway, "Save takeaway", "Takeaway saved.");
            await megan.PressAsync(takeaway, "Edit", "What did you learn?");
            Assert.AreEqual("Config is code", await takeaway.GetByLabel("What did you learn?").InputValueAsync());
            await takeaway.GetByLabel("What did you learn?").FillAsync("Config is code, and ships like code");
            await megan.PressAsync(takeaway, "Save takeaway", "Takeaway updated.");
            await megan.PressAsync(takeaway, "Remove", "The takeaway was removed.");
            await megan.PressAsync(takeaway, "Undo", "The takeaway is back, as it was.");

            // A contributing factor by Megan, edited from its saved card: the same form, filled in. The reason for
            // accepting a risk stays hidden while the factor is open, until "Accept as a risk…" shows it.
            const string Reason = "Why accept the risk? (needed when accepted)";
            var factor = await megan.SendAsync("factor");
            await factor.GetByLabel("What was the condition?").FillAsync("Config changes skipped the canary stage");
            await factor.GetByLabel("Change and deployment: How changes are made, rolled out and rolled back.").CheckAsync();
            Assert.IsFalse(await factor.GetByLabel(Reason).IsVisibleAsync(), "no reason box while the factor is open");
            await megan.PressAsync(factor, "Save factor", "Contributing factor saved.");
            await megan.PressAsync(factor, "Edit", "Edit a contributing factor");
            Assert.AreEqual("Config changes skipped the canary stage", await factor.GetByLabel("What was the condition?").InputValueAsync(), "the form comes back filled in");
            await factor.GetByLabel("What was the condition?").FillAsync("Config changes could skip the canary stage");
            await factor.GetByLabel("Accepted as a risk: we'll live with it, for a reason").CheckAsync();
            await factor.GetByRole(AriaRole.Button, new() { Name = "Accept as a risk…", Exact = true }).ClickAsync();
            await factor.GetByLabel(Reason).FillAsync("Rare, and the pipeline change is already planned");
            await megan.PressAsync(factor, "Save factor", "Contributing factor updated.");
            string editedFactor = await factor.InnerTextAsync();
            StringAssert.Contains(editedFactor, "Config changes could skip the canary stage");
            StringAssert.Contains(editedFactor, "Accepted as a risk");

            // A note on what went well and one on where we got lucky, each edited by Megan.
            var well = await megan.SendAsync("went well");
            await well.GetByLabel("What went well?").FillAsync("The alert fired fast");
            await megan.PressAsync(well, "Save", "Worth keeping");
            await megan.PressAsync(well, "Edit", "Edit a note on what went well");
            Assert.AreEqual("The alert fired fast", await well.GetByLabel("What went well?").InputValueAsync());
            await well.GetByLabel("What went well?").FillAsync("The checkout alert fired within a minute");
            await megan.PressAsync(well, "Save", "Updated.");
            StringAssert.Contains(await well.InnerTextAsync(), "The checkout alert fired within a minute");

            var lucky = await megan.SendAsync("lucky");
            await lucky.GetByLabel("Where did we get lucky?").FillAsync("The expert was in");
            await megan.PressAsync(lucky, "Save", "Luck won't be there next time");
            await megan.PressAsync(lucky, "Edit", "Edit a note on where we got lucky");
            await lucky.GetByLabel("Where did we get lucky?").FillAsync("The cache expert was at their desk");
            await megan.PressAsync(lucky, "Save", "Updated.");
            StringAssert.Contains(await lucky.InnerTextAsync(), "The cache expert was at their desk");
            StringAssert.Contains(await (await alex.SendAsync("status")).InnerTextAsync(), "The cache expert was at their desk", "the facilitator sees the edit");

            // An action by Megan with a priority and a work item link: a javascript: link is refused and nothing is saved.
            string due = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var action = await megan.SendAsync("action");
            await action.GetByLabel("What will change").FillAsync("Add a schema check for checkout config");
            await PickPersonAsync(megan, action, "Megan Bowen");
            await action.GetByLabel("Due date").FillAsync(due);
            await ChooseAsync(megan, action, "Priority", "High");
            await action.GetByLabel("Link to the work item (optional)").FillAsync("javascript:alert(document.cookie)");
            await megan.PressAsync(action, "Save action", "must be a full https address");
            Assert.DoesNotContain("Add a schema check", await (await megan.SendAsync("actions")).InnerTextAsync(), "nothing stored");
            await action.GetByLabel("Link to the work item (optional)").FillAsync("https://tracker.example.com/items/42");
            await megan.PressAsync(action, "Save action", "Action saved.");
            string saved = await action.InnerTextAsync();
            StringAssert.Contains(saved, "High");
            StringAssert.Contains(saved, "https://tracker.example.com/items/42");
            Assert.AreEqual(1, await action.GetByText("Open work item", new() { Exact = true }).CountAsync(), "the link opens from its own button");

            // Alex facilitates, so he may remove Megan's action from the list; it leaves the list until he undoes it.
            var alexActions = await alex.SendAsync("actions");
            await alex.PressAsync(alexActions, "Remove", "The action was removed.");
            Assert.DoesNotContain("Add a schema check", await (await megan.SendAsync("actions")).InnerTextAsync(), "gone from the list");
            await alex.PressAsync(alexActions, "Undo", "The action is back, as it was.");

            // Done answers with an Undo, which puts the action back on the list.
            var list = await megan.SendAsync("actions");
            StringAssert.Contains(await list.InnerTextAsync(), "Add a schema check");
            await megan.PressAsync(list, "Done", "Marked done: Add a schema check for checkout config");
            Assert.AreEqual(0, await list.GetByRole(AriaRole.Button, new() { Name = "Won't do" }).CountAsync(), "off the list");
            await list.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).ClickAsync();
            await list.GetByRole(AriaRole.Button, new() { Name = "Won't do" }).WaitForAsync(new() { Timeout = 30_000 });

            await megan.ScreenshotAsync(TestContext, "chat-edit-remove-megan.png");
            await alex.ScreenshotAsync(TestContext, "chat-edit-remove-alex.png");
        }
        catch
        {
            await alex.ScreenshotAsync(TestContext, "chat-edit-remove-alex-failure.png");
            await megan.ScreenshotAsync(TestContext, "chat-edit-remove-megan-failure.png");
            TestContext.WriteLine(alex.Diagnostics);
            throw;
        }
    }

    private static async Task PickPersonAsync(PlaygroundSession session, ILocator card, string name)
    {
        var picker = card.GetByRole(AriaRole.Combobox, new() { Name = "People Picker" });
        await picker.ClickAsync();
        await picker.PressSequentiallyAsync(name.Split(' ')[0]);
        await session.Page.GetByRole(AriaRole.Option).Filter(new() { HasText = name }).First.ClickAsync();
    }

    private static async Task ChooseAsync(PlaygroundSession session, ILocator card, string label, string option)
    {
        var combobox = card.GetByRole(AriaRole.Combobox, new() { Name = label });
        await combobox.ClickAsync();
        await session.Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }
}
