using Microsoft.Playwright;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// The analysis run from the chat by two people in the real Agents Playground: Alex links a contributing factor to a
/// timeline entry from the entry's card; Megan, in the same group chat from her own seat, notes what went well and where
/// we got lucky; the status card shows all of it with what is still missing.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AnalysisEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(480_000, CooperativeCancellation = true)]
    public async Task AFactorLinkedToAnEntryAndTwoPeoplesNotesShowOnTheStatusCard()
    {
        string groupChat = "group-" + Guid.NewGuid().ToString("N");
        await using var alex = await PlaygroundSession.StartAsync(configYaml: PlaygroundSeats.Config(0, groupChat));
        PlaygroundSession? megan = null;
        try
        {
            await alex.OpenGroupChatAsync("Group Chat");
            await alex.SendAsync("new Checkout outage");

            var entry = await alex.SendAsync("entry");
            await entry.GetByLabel("Date").FillAsync("2026-11-20");
            var clock = entry.GetByPlaceholder("Select a time...");
            await clock.FillAsync("14:05");
            await clock.PressAsync("Enter");
            await entry.GetByLabel("Who or what acted").FillAsync("Deploy pipeline");
            await entry.GetByLabel("What was done, or what happened").FillAsync("Rolled out config 4711 to all regions");
            await alex.PressAsync(entry, "Save entry", "Timeline entry saved.");

            // The saved entry's card opens the factor form with that entry already linked.
            await alex.PressAsync(entry, "Add a contributing factor", "What was the condition?");
            Assert.IsTrue(await entry.GetByRole(AriaRole.Checkbox, new() { NameRegex = new System.Text.RegularExpressions.Regex("Rolled out config 4711") }).IsCheckedAsync(), "the entry starts linked");
            await entry.GetByLabel("What was the condition?").FillAsync("Config changes skipped the canary stage");
            await entry.GetByLabel("Change and deployment: How changes are made, rolled out and rolled back.").CheckAsync();
            await alex.PressAsync(entry, "Save factor", "Contributing factor saved.");
            string saved = await entry.InnerTextAsync();
            StringAssert.Contains(saved, "Change and deployment");
            StringAssert.Contains(saved, "Rolled out config 4711");

            // A second person, in the same group chat, from their own seat.
            megan = await PlaygroundSession.JoinAsync(alex, PlaygroundSeats.Config(1, groupChat));
            await megan.OpenGroupChatAsync("Group Chat");
            var well = await megan.SendAsync("went well");
            await well.GetByLabel("What went well?").FillAsync("The checkout alert fired within a minute");
            await megan.PressAsync(well, "Save", "Worth keeping");
            var lucky = await megan.SendAsync("lucky");
            await lucky.GetByLabel("Where did we get lucky?").FillAsync("The cache expert was at their desk");
            await megan.PressAsync(lucky, "Save", "Luck won't be there next time");
            StringAssert.Contains(await lucky.InnerTextAsync(), "Megan Bowen");

            var status = await alex.SendAsync("status");
            await status.ScrollIntoViewIfNeededAsync();
            await alex.ScreenshotAsync(TestContext, "chat-analysis-status.png");
            string text = await status.InnerTextAsync();
            int factors = text.IndexOf("Contributing factors", StringComparison.Ordinal);
            int category = text.IndexOf("Change and deployment", StringComparison.Ordinal);
            int factor = text.IndexOf("Config changes skipped the canary stage", StringComparison.Ordinal);
            Assert.IsTrue(factors >= 0 && factors < category && category < factor, text);
            StringAssert.Contains(text[category..], "Open");
            int wentWell = text.IndexOf("What went well", StringComparison.Ordinal);
            Assert.IsTrue(wentWell > factor, text);
            StringAssert.Contains(text[wentWell..], "Megan Bowen");
            StringAssert.Contains(text[wentWell..], "The checkout alert fired within a minute");
            StringAssert.Contains(text, "The cache expert was at their desk");
            StringAssert.Contains(text, "What is missing");
            StringAssert.Contains(text, "has no action and is not accepted as a risk");
        }
        catch
        {
            await alex.ScreenshotAsync(TestContext, "chat-analysis-failure.png");
            if (megan is not null)
            {
                await megan.ScreenshotAsync(TestContext, "chat-analysis-failure-second-seat.png");
            }

            TestContext.WriteLine(alex.Diagnostics);
            throw;
        }
        finally
        {
            if (megan is not null)
            {
                await megan.DisposeAsync();
            }
        }
    }
}
