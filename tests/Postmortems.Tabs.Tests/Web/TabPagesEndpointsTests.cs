using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Postmortems.Tabs.Pages;

namespace Postmortems.Tabs.Tests.Web;

[TestClass]
[TestCategory("Integration")]
public sealed class TabPagesEndpointsTests
{
    private static string root = "";
    private static WebApplication? app;
    private static HttpClient client = new();

    [ClassInitialize]
    public static async Task StartHost(TestContext context)
    {
        root = Directory.CreateTempSubdirectory("tab-web-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<!doctype html><title>Postmortems</title>");
        await File.WriteAllTextAsync(Path.Combine(root, "assets", "index-abc123.js"), "console.log(1)");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapTabPages(root);
        await app.StartAsync();
        client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    [ClassCleanup]
    public static async Task StopHost()
    {
        client.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
    }

    [TestMethod]
    [DataRow("/tab/")]
    [DataRow("/tab/me")]
    [DataRow("/tab/postmortems/pm-1")]
    [DataRow("/tab/config")]
    public async Task PagesGetIndexHtmlThatIsNeverCached(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.IsTrue(response.Headers.CacheControl?.NoCache, "index.html must be revalidated");
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "<title>Postmortems</title>");
    }

    [TestMethod]
    public async Task HashedAssetsAreCachedForAYear()
    {
        using var response = await client.GetAsync(new Uri("/tab/assets/index-abc123.js", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.IsTrue(response.Headers.CacheControl?.Public);
    }

    [TestMethod]
    [DataRow("/tab/assets/missing.js")]
    [DataRow("/tab/missing.css")]
    [DataRow("/tab/..%2F..%2Fetc%2Fpasswd")]
    public async Task MissingFilesAndPathsOutsideTheFolderAre404(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    public async Task TabWithoutSlashRedirects()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
        using var response = await noRedirect.GetAsync(new Uri("/tab", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.AreEqual("/tab/", response.Headers.Location?.OriginalString);
    }

    [TestMethod]
    public async Task WithoutTheBuiltPagesTheAppStillStartsAndTheTabSaysWhatToBuild()
    {
        // dotnet build -p:SkipTabWebBuild=true leaves no tab-web folder: the bot and the API must still start.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var bare = builder.Build();
        bare.MapTabPages(Path.Combine(Path.GetTempPath(), "no-tab-web-" + Guid.NewGuid().ToString("N")));
        await bare.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(bare.Urls.First()) };

        using var response = await http.GetAsync(new Uri("/tab/", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "The tab's pages are not built.");
    }
}
