using Microsoft.Playwright;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// The app (its own process, local mode, real Azurite), the real Agents Playground pointed at it, and the
/// Playground's chat in Debian's Chromium: a person's seat, driven by typing and clicking.
/// </summary>
internal sealed class PlaygroundSession : IAsyncDisposable
{
    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private AppServer _app = null!;
    private PlaygroundServer _playground = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public IPage Page { get; private set; } = null!;

    /// <summary>The app's address (its tab is at /tab/).</summary>
    public Uri AppUrl => _app.BaseUrl;

    public string Diagnostics => $"App:\n{_app.Output}\nPlayground:\n{_playground.Output}";

    /// <summary>Every Adaptive Card shown in the chat, oldest first.</summary>
    public ILocator Cards => Page.Locator(".ac-adaptiveCard");

    /// <param name="settings">App settings beyond storage, e.g. Graph pointed at a local stand-in.</param>
    /// <summary>Whether this seat started the app (and stops it); a second seat joins the first one's app.</summary>
    private bool _ownsApp = true;

    /// <summary>
    /// A second person's seat: another Playground (<paramref name="configYaml"/> makes them its current user, in the
    /// same group chat) and its own page, talking to <paramref name="host"/>'s app.
    /// </summary>
    public static async Task<PlaygroundSession> JoinAsync(PlaygroundSession host, string configYaml)
    {
        ArgumentNullException.ThrowIfNull(host);
        var session = new PlaygroundSession { _app = host._app, _ownsApp = false };
        session._playground = await PlaygroundServer.StartAsync(new Uri(host._app.BaseUrl, "api/messages"), configYaml);
        await session.OpenBrowserAsync();
        return session;
    }

    /// <param name="configYaml">The Playground's configuration (see <see cref="PlaygroundSeats"/>); null for its defaults.</param>
    public static async Task<PlaygroundSession> StartAsync(IDictionary<string, string?>? settings = null, string? configYaml = null)
    {
        var session = new PlaygroundSession();
        var azurite = await SharedAzurite.GetAsync();
        var appSettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Storage:ConnectionString"] = azurite.ConnectionString };
        // The app's reminder scan would read every test's actions in the shared tables and post reminders and digests
        // into whichever Playground chat their owner last used; only a test that gives itself its own tables turns it on.
        appSettings.TryAdd("Postmortems:Reminders:Enabled", "false");
        session._app = await AppServer.StartAsync(appSettings);
        session._playground = await PlaygroundServer.StartAsync(new Uri(session._app.BaseUrl, "api/messages"), configYaml);
        await session.OpenBrowserAsync();
        return session;
    }

    private async Task OpenBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumFlags });
        Page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        await Page.GotoAsync(_playground.BaseUrl.ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });

        // The welcome card arrives when the Playground adds the bot to the chat.
        await Page.GetByText("Hi! I help your team run blameless postmortems").First.WaitForAsync(new() { Timeout = 60_000 });
    }

    /// <summary>Whether messages start with an @mention of the bot (group chats and channels).</summary>
    public bool MentionBot { get; private set; }

    /// <summary>Opens another chat of the Playground's sidebar, e.g. "Group Chat", where messages mention the bot.</summary>
    public async Task OpenGroupChatAsync(string name)
    {
        MentionBot = true;
        await Page.GetByText(name, new() { Exact = true }).First.ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The Playground adds the bot to this chat too, and its welcome card can come a moment later: wait for it and
        // for the chat to settle, so the next reply is not mistaken for it.
        await Page.GetByText("Hi! I help your team run blameless postmortems").First.WaitForAsync(new() { Timeout = 60_000 });
        await WaitUntilNoNewCardsAsync(TimeSpan.FromSeconds(1.5));
    }

    private async Task WaitUntilNoNewCardsAsync(TimeSpan quiet)
    {
        int count = await Cards.CountAsync();
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow - stableSince < quiet && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            int now = await Cards.CountAsync();
            if (now != count)
            {
                count = now;
                stableSince = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Types a message in the chat and returns the card the bot answers with.</summary>
    public async Task<ILocator> SendAsync(string text)
    {
        int before = await Cards.CountAsync();
        // The message box (a rich-text editor), not a card's text input.
        var compose = Page.Locator("[data-lexical-editor='true']");
        await compose.ClickAsync();
        if (MentionBot)
        {
            // In group chats and channels Teams delivers only messages that mention the bot.
            await Page.Keyboard.TypeAsync("@Test");
            await Page.Locator("#typeahead-menu").GetByText("Test Bot").First.ClickAsync();
            await Page.Keyboard.TypeAsync(" ");
        }

        await Page.Keyboard.TypeAsync(text);
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForFunctionAsync("n => document.querySelectorAll('.ac-adaptiveCard').length > n", before, new() { Timeout = 30_000 });
        return Cards.Nth(before);
    }

    /// <summary>Presses a button on a card and waits until the card shows <paramref name="expected"/>.</summary>
    public async Task PressAsync(ILocator card, string button, string expected)
    {
        await card.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await card.GetByText(expected).First.WaitForAsync(new() { Timeout = 30_000 });
    }

    public async Task ScreenshotAsync(TestContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = Path.Combine(RepositoryRoot.Path, ".test-artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        context.AddResultFile(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        if (_app is not null && _ownsApp)
        {
            await _app.DisposeAsync();
        }
    }
}
