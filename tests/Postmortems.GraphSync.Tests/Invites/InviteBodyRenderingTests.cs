using Microsoft.Playwright;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Invites;

/// <summary>
/// The postmortem invite's HTML in a real browser (Debian's Chromium, headless): hostile text stays text, nothing is
/// fetched, and the page reads as an invite should. The screenshot lands in .test-artifacts/invite-body.png.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class InviteBodyRenderingTests
{
    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync",
    ];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task InviteBodyRendersInChromiumWithoutRunningScriptsOrLoadingAnything()
    {
        var body = InviteBodies.Postmortem(SampleWithHostileText(), new Uri("https://teams.microsoft.com/l/entity/app/postmortem"), "Europe/Paris");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumFlags });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 900, Height = 900 }, JavaScriptEnabled = true });

        // Any request at all (an <img src>, a style sheet, a beacon) would be a resource the invite must not have.
        var requests = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            requests.Add(route.Request.Url);
            await route.AbortAsync();
        });
        await page.SetContentAsync(body.Html, new() { WaitUntil = WaitUntilState.Load });
        await page.WaitForTimeoutAsync(300);

        Assert.AreEqual("undefined", await page.EvaluateAsync<string>("typeof window.hacked"));
        Assert.AreEqual("undefined", await page.EvaluateAsync<string>("typeof window.imgFired"));
        Assert.AreEqual(0, await page.Locator("script, img").CountAsync());
        Assert.AreEqual(0, await page.Locator("a[href^='javascript']").CountAsync());
        Assert.IsEmpty(requests, string.Join(", ", requests));

        string visible = await page.InnerTextAsync("body");
        Assert.Contains(Practice.PrimeDirective, visible);
        Assert.Contains(Practice.PrimeDirectiveAttribution, visible);
        Assert.Contains(SampleDocuments.Script, visible, "the hostile text is shown as the words typed");
        Assert.Contains(SampleDocuments.Img, visible);
        Assert.Contains(SampleDocuments.Markdown, visible);
        Assert.AreEqual(6, await page.Locator("table tr").CountAsync(), "a header row and five timeline entries");

        string path = Path.Combine(RepositoryRoot.Path, ".test-artifacts", "invite-body.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddResultFile(path);
    }

    /// <summary>The realistic sample, with hostile text where people type freely: an idea, an outcome and a takeaway.</summary>
    private static PostmortemDocument SampleWithHostileText()
    {
        var document = SampleDocuments.Realistic();
        var ideas = document.Ideas.ToList();
        ideas[0] = ideas[0] with { Text = "Page on error rate. " + SampleDocuments.Markdown };
        var timeline = document.Timeline.ToList();
        timeline[0] = timeline[0] with { Outcome = "Support pasted the page source: " + SampleDocuments.Script };
        var takeaways = document.Takeaways.ToList();
        takeaways.Add(takeaways[0] with { Text = "Our status page accepted " + SampleDocuments.Img + " in a note." });
        return document with { Ideas = ideas, Timeline = timeline, Takeaways = takeaways };
    }
}
