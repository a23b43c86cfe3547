using Microsoft.Playwright;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// The real product from a user's seat: the app as its own process (local mode, real Azurite), the real Agents
/// Playground pointed at it, and the Playground's web UI in Debian's Chromium.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PlaygroundEndToEndTests
{
    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task UserSendsHelpInThePlaygroundAndTheHelpCardArrivesInTheChat()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = await AppServer.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString });
        await using var playground = await PlaygroundServer.StartAsync(new Uri(app.BaseUrl, "api/messages"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumFlags });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        await page.GotoAsync(playground.BaseUrl.ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });

        // The welcome card arrives first (the Playground adds the bot when it connects); then the user types help.
        await page.GetByText("Hi! I help your team run blameless postmortems").First.WaitForAsync(new() { Timeout = 60_000 });
        var compose = page.Locator("[data-lexical-editor='true']");
        await compose.ClickAsync();
        await page.Keyboard.TypeAsync("help");
        await page.Keyboard.PressAsync("Enter");

        // Only the reply to "help" carries this sentence; the welcome card has its own.
        var helpReply = page.GetByText("I help your team look back at an incident together").First;
        try
        {
            await helpReply.WaitForAsync(new() { Timeout = 60_000 });
        }
        finally
        {
            string screenshot = Path.Combine(RepositoryRoot.Path, ".test-artifacts", "playground-help-card.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            TestContext.AddResultFile(screenshot);
            TestContext.WriteLine($"Screenshot: {screenshot}");
        }

        Assert.IsTrue(await helpReply.IsVisibleAsync(), $"The help card did not show in the Playground.\nApp:\n{app.Output}\nPlayground:\n{playground.Output}");
        Assert.AreEqual(2, await page.GetByText("Show this list of commands.").CountAsync(), "the welcome card and the help reply each list the commands");
    }
}
