using Microsoft.Playwright;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Browser;

/// <summary>
/// The real app process on its own tables of the shared Azurite (Development, loopback: the tab's local user) and a
/// headless Chromium page to drive the tab with; disposing stops both. Also the checks every browser test shares:
/// axe (serious and critical findings) and where screenshots go.
/// </summary>
internal sealed class TabInBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private TabInBrowser(AppServer app, string connectionString, string tablePrefix, IPlaywright playwright, IBrowser browser, IPage page)
    {
        App = app;
        ConnectionString = connectionString;
        TablePrefix = tablePrefix;
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public AppServer App { get; }

    /// <summary>The storage the app uses, for seeding with <see cref="TestStorage"/> and <see cref="TablePrefix"/>.</summary>
    public string ConnectionString { get; }

    public string TablePrefix { get; }

    public IPage Page { get; }

    /// <param name="prefixLetter">The first letter of the app's table prefix, telling the test's tables apart.</param>
    public static async Task<TabInBrowser> StartAsync(string prefixLetter)
    {
        string prefix = prefixLetter + Guid.NewGuid().ToString("N")[..10];
        var azurite = await SharedAzurite.GetAsync();
        var app = await AppServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
        });
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        return new TabInBrowser(app, azurite.ConnectionString, prefix, playwright, browser, page);
    }

    /// <summary>The path of a screenshot under .test-artifacts, attached to the test's results.</summary>
    public static string Artifact(TestContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = Path.Combine(RepositoryRoot.Path, ".test-artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        context.AddResultFile(path);
        return path;
    }

    public static async Task AssertNoAccessibilityViolationsAsync(IPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.AddScriptTagAsync(new() { Path = Path.Combine(RepositoryRoot.Path, "tabs", "web", "node_modules", "axe-core", "axe.min.js") });
        string violations = await page.EvaluateAsync<string>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')).join('\\n')");
        Assert.AreEqual(string.Empty, violations, $"accessibility violations on {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await App.DisposeAsync();
    }
}
