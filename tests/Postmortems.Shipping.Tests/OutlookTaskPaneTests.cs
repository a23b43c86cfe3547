using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>
/// The Outlook task pane (bot/Postmortems.Bot/wwwroot/outlook) as the real app serves it, in headless Chromium, with
/// Office.js from the CDN replaced by a stub Outlook (a postmortem meeting whose body links to the postmortem) and the
/// tab API answered with a canned postmortem, so the test needs neither Outlook nor the tab API. The screenshot lands
/// in .test-artifacts/outlook-taskpane.png.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class OutlookTaskPaneTests
{
    private const string OfficeJs = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
    private const string PostmortemId = "20261120-checkout-outage.1";
    private const string HostileTitle = "<script>window.hacked = true</script> Checkout outage";

    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static AppServer _app = null!;
    private static IPlaywright _playwright = null!;
    private static IBrowser _browser = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAppAndBrowser(TestContext context)
    {
        var azurite = await SharedAzurite.GetAsync();
        _app = await AppServer.StartAsync(new Dictionary<string, string?> { ["Storage:ConnectionString"] = azurite.ConnectionString, ["Outbox:Enabled"] = "false" });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumFlags });
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ShowsThePostmortemOfTheMeetingWithItsTimelineInTimeOrderAndItsOpenActions()
    {
        string body = $"<p>Agenda …</p><a href=\"https://{AppPackage.Host}/tab/postmortems/{PostmortemId}\">Open the postmortem in Teams</a>";
        var (page, apiCalls) = await OpenAsync(body, HttpStatusCode.OK);

        await page.Locator("h1").WaitForAsync(new() { Timeout = 30_000 });
        Assert.AreEqual(HostileTitle, await page.Locator("h1").TextContentAsync(), "the title is shown as the text typed");
        Assert.AreEqual("undefined", await page.EvaluateAsync<string>("typeof window.hacked"), "nothing typed ran");
        Assert.AreEqual(0, await page.Locator("main script").CountAsync());
        Assert.Contains("Payments returned 502 for 40 minutes.", await page.Locator(".summary").TextContentAsync() ?? "");

        var timeline = await page.Locator(".timeline li").AllTextContentsAsync();
        Assert.HasCount(3, timeline);
        Assert.Contains("Alert fired", timeline[0]);
        Assert.Contains("Rolled back", timeline[1]);
        Assert.Contains("Error rate back to normal", timeline[2]);

        var actions = await page.Locator(".actions li").AllTextContentsAsync();
        Assert.HasCount(2, actions, "the open and in-progress actions, not the done one");
        Assert.Contains("Add a canary stage to checkout deploys", actions[0], "earliest due first");
        Assert.Contains("Ada Lovelace", actions[0]);
        Assert.Contains("overdue", actions[0]);
        Assert.Contains("Alert on payment 5xx rate", actions[1]);
        Assert.DoesNotContain("Write the runbook", string.Join("\n", actions));

        Assert.HasCount(1, apiCalls);
        Assert.AreEqual($"/api/postmortems/{PostmortemId}", new Uri(apiCalls[0].Url).AbsolutePath);
        Assert.AreEqual("Bearer office-sso-token", apiCalls[0].Authorization, "the Office SSO token goes with the call");

        string path = Path.Combine(RepositoryRoot.Path, ".test-artifacts", "outlook-taskpane.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddResultFile(path);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task ReadsTheIdFromALinkEncodedInsideATeamsDeepLink()
    {
        string webUrl = Uri.EscapeDataString($"https://{AppPackage.Host}/tab/postmortems/{PostmortemId}");
        var (page, apiCalls) = await OpenAsync($"<a href=\"https://teams.microsoft.com/l/entity/app/postmortem?webUrl={webUrl}\">Open</a>", HttpStatusCode.OK);

        await page.Locator("h1").WaitForAsync(new() { Timeout = 30_000 });
        Assert.AreEqual($"/api/postmortems/{PostmortemId}", new Uri(apiCalls.Single().Url).AbsolutePath);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task SaysSoWhenTheMeetingHasNoPostmortemOrItCannotBeLoaded()
    {
        var (noLink, noCalls) = await OpenAsync("<p>Team lunch</p>", HttpStatusCode.OK);
        await noLink.Locator(".message.problem").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("No postmortem is linked to this meeting", await noLink.Locator(".message.problem").TextContentAsync() ?? "");
        Assert.IsEmpty(noCalls);

        string body = $"<a href=\"https://{AppPackage.Host}/tab/postmortems/{PostmortemId}\">Open</a>";
        var (missing, _) = await OpenAsync(body, HttpStatusCode.NotFound);
        await missing.Locator(".message.problem").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("was not found", await missing.Locator(".message.problem").TextContentAsync() ?? "");

        var (failing, _) = await OpenAsync(body, HttpStatusCode.ServiceUnavailable);
        await failing.Locator(".message.problem").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("could not be loaded right now", await failing.Locator(".message.problem").TextContentAsync() ?? "");
        Assert.AreEqual(1, await failing.Locator("button", new() { HasText = "Try again" }).CountAsync());
    }

    [TestMethod]
    public async Task TheAppServesTheRibbonIcons()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseUrl };
        foreach (int size in new[] { 16, 32, 80 })
        {
            using var response = await http.GetAsync(new Uri($"outlook/icon-{size}.png", UriKind.Relative), TestContext.CancellationToken);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            Assert.AreEqual((size, size), AppPackage.PngSize(await response.Content.ReadAsByteArrayAsync(TestContext.CancellationToken)));
        }
    }

    private sealed record ApiCall(string Url, string? Authorization);

    /// <summary>Opens the task pane in a fresh page with the stub Outlook showing a meeting with this body.</summary>
    private async Task<(IPage Page, List<ApiCall> ApiCalls)> OpenAsync(string meetingBody, HttpStatusCode apiStatus)
    {
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 900 } });
        TestContext.CancellationToken.Register(() => _ = context.CloseAsync());
        var page = await context.NewPageAsync();
        var calls = new List<ApiCall>();

        await page.RouteAsync(OfficeJs, route => route.FulfillAsync(new() { ContentType = "text/javascript", Body = StubOfficeJs(meetingBody) }));
        await page.RouteAsync("**/api/postmortems/**", async route =>
        {
            lock (calls)
            {
                calls.Add(new ApiCall(route.Request.Url, route.Request.Headers.TryGetValue("authorization", out string? auth) ? auth : null));
            }

            await route.FulfillAsync(apiStatus == HttpStatusCode.OK
                ? new() { Status = 200, ContentType = "application/json", Body = CannedPostmortem() }
                : new() { Status = (int)apiStatus, ContentType = "application/problem+json", Body = "{\"title\":\"No\",\"status\":" + ((int)apiStatus).ToString(CultureInfo.InvariantCulture) + "}" });
        });

        await page.GotoAsync(new Uri(_app.BaseUrl, "outlook/taskpane.html").ToString());
        return (page, calls);
    }

    /// <summary>Just enough of Office.js for the page: onReady, an appointment item with a body, and SSO.</summary>
    private static string StubOfficeJs(string meetingBody) => $$"""
        window.Office = {
          AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
          CoercionType: { Html: 'html', Text: 'text' },
          context: {
            mailbox: {
              item: {
                itemType: 'appointment',
                subject: 'Postmortem: Checkout outage',
                body: {
                  getAsync: function (coercion, callback) {
                    setTimeout(function () { callback({ status: 'succeeded', value: {{JsonSerializer.Serialize(meetingBody)}} }); }, 10);
                  }
                }
              }
            }
          },
          auth: { getAccessToken: function () { return Promise.resolve('office-sso-token'); } },
          onReady: function (callback) {
            var info = { host: 'Outlook', platform: 'OfficeOnline' };
            setTimeout(function () { if (callback) callback(info); }, 0);
            return Promise.resolve(info);
          }
        };
        """;

    /// <summary>A postmortem as GET /api/postmortems/{id} returns it (tabs/API.md), timeline deliberately out of order.</summary>
    private static string CannedPostmortem()
    {
        var ada = new { id = "00000000-0000-0000-0000-0000000000021", name = "Ada Lovelace" };
        var grace = new { id = "00000000-0000-0000-0000-0000000000022", name = "Grace Hopper" };
        object Entry(string id, string at, string actor, string description, string outcome) => new
        {
            id, occurredAt = at, timeZone = "Europe/Paris", actor, description, outcome, expectations = "", assumptions = "",
            kind = "action", signalsAvailable = "", author = ada,
        };
        object Action(string id, string title, object owner, string due, string status, bool overdue) => new
        {
            id, postmortemId = PostmortemId, postmortemTitle = HostileTitle, title, category = "prevent", owner, dueDate = due, status,
            overdue, createdAt = "2026-11-20T10:00:00+00:00", updatedAt = (string?)null, etag = "W/\"1\"",
        };
        return JsonSerializer.Serialize(new
        {
            id = PostmortemId,
            title = HostileTitle,
            summary = "Payments returned 502 for 40 minutes.",
            customerImpact = "About 1,200 checkouts failed.",
            severity = "sev2",
            status = "meetingScheduled",
            startedAt = "2026-11-20T09:02:00+00:00",
            detectedAt = "2026-11-20T09:10:00+00:00",
            mitigatedAt = "2026-11-20T09:42:00+00:00",
            reportedBy = "Support",
            facilitator = grace,
            createdBy = grace,
            createdAt = "2026-11-20T10:00:00+00:00",
            timeline = new[]
            {
                Entry("t2", "2026-11-20T09:30:00+00:00", "Ada", "Rolled back the config change", "Errors dropped"),
                Entry("t3", "2026-11-20T09:42:00+00:00", "Monitoring", "Error rate back to normal", "Mitigated"),
                Entry("t1", "2026-11-20T09:10:00+00:00", "Monitoring", "Alert fired on payment errors", "On-call paged"),
            },
            ideas = Array.Empty<object>(),
            actions = new[]
            {
                Action("a2", "Alert on payment 5xx rate", grace, "2026-12-15", "inProgress", false),
                Action("a3", "Write the runbook", grace, "2026-11-25", "done", false),
                Action("a1", "Add a canary stage to checkout deploys", ada, "2026-11-21", "open", true),
            },
            whys = Array.Empty<object>(),
            contributingFactors = Array.Empty<object>(),
            takeaways = Array.Empty<object>(),
        });
    }
}
