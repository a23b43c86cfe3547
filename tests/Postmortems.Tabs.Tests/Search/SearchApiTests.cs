using System.Net;
using System.Text;
using System.Text.Json;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Search;

/// <summary>The search, labels and their isolation, through the real app with real Azurite and real tokens.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class SearchApiTests
{
    private static TabApp _app = null!;

    private static PostmortemRepository Postmortems => _app.Service<PostmortemRepository>();

    private static PostmortemItemStore<ContributingFactor> Factors => _app.Service<PostmortemItemStore<ContributingFactor>>();

    [ClassInitialize]
    public static async Task Start(TestContext context) => _app = await TabApp.StartSignedInAsync();

    [ClassCleanup]
    public static async Task Stop() => await _app.DisposeAsync();

    [TestMethod]
    public async Task SearchFindsWordsOfTheTitleSummaryFactorsAndTakeawaysByTheirStart()
    {
        string tenant = TestData.NewTenantId();
        var byTitle = await CreateAsync(tenant, p => p with { Title = "Payments queue backed up", Summary = "Nothing else." });
        var bySummary = await CreateAsync(tenant, p => p with { Title = "Login slow", Summary = "A certificate rotation stalled the identity provider." });
        var byFactor = await CreateAsync(tenant, p => p with { Title = "Search down", Summary = "Index rebuild." });
        await Factors.AddAsync(tenant, byFactor, Factor(byFactor.Id, "No alert on disk pressure of the search cluster"));
        var byTakeaway = await CreateAsync(tenant, p => p with { Title = "Email delayed", Summary = "Relay throttled." });
        await _app.Service<PostmortemItemStore<Takeaway>>().AddAsync(tenant, byTakeaway, new Takeaway { Id = Ids.NewItemId(), PostmortemId = byTakeaway.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Text = "Throttling limits are documented nowhere" });
        using var client = Client(tenant);

        Assert.AreEqual(byTitle.Id, (await SearchAsync(client, "q=payments")).Single());
        Assert.AreEqual(bySummary.Id, (await SearchAsync(client, "q=certif")).Single(), "a word's start is enough");
        Assert.AreEqual(byFactor.Id, (await SearchAsync(client, "q=disk+pressure")).Single());
        Assert.AreEqual(byTakeaway.Id, (await SearchAsync(client, "q=THROTTLING+documented")).Single(), "any case");
        Assert.IsEmpty(await SearchAsync(client, "q=payments+certificate"), "every word must match");
    }

    [TestMethod]
    public async Task FiltersNarrowBySeverityStatusLabelPeriodAndOverdueActions()
    {
        string tenant = TestData.NewTenantId();
        var now = DateTimeOffset.UtcNow;
        var sev1 = await CreateAsync(tenant, p => p with { Severity = Severity.Sev1, Services = ["checkout"], StartedAt = now.AddDays(-40), DetectedAt = null, MitigatedAt = null });
        var closed = await CreateAsync(tenant, p => p with { Status = PostmortemStatus.Closed, Severity = Severity.NotSet, Tags = ["config change"], StartedAt = now.AddDays(-10), DetectedAt = null, MitigatedAt = null });
        var overdue = await CreateAsync(tenant, p => p with { Severity = Severity.Sev3, StartedAt = now.AddDays(-5), DetectedAt = null, MitigatedAt = null });
        var actions = _app.Service<PostmortemItemStore<ActionItem>>();
        var action = (await actions.AddAsync(tenant, overdue, TestData.Action(overdue.Id))).Value!;
        await actions.UpdateAsync(tenant, action with { DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2) }); // an update may keep a past date
        using var client = Client(tenant);

        CollectionAssert.AreEquivalent(new[] { sev1.Id }, await SearchAsync(client, "severity=sev1"));
        CollectionAssert.AreEquivalent(new[] { closed.Id }, await SearchAsync(client, "status=closed"));
        CollectionAssert.AreEquivalent(new[] { sev1.Id, overdue.Id }, await SearchAsync(client, "status=open"));
        CollectionAssert.AreEquivalent(new[] { sev1.Id }, await SearchAsync(client, "label=Checkout"), "services match, any case");
        CollectionAssert.AreEquivalent(new[] { closed.Id }, await SearchAsync(client, "label=config+change"), "tags match");
        string from = DateOnly.FromDateTime(now.AddDays(-20).UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string to = DateOnly.FromDateTime(now.AddDays(-7).UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        CollectionAssert.AreEquivalent(new[] { closed.Id }, await SearchAsync(client, $"from={from}&to={to}"));
        CollectionAssert.AreEquivalent(new[] { overdue.Id }, await SearchAsync(client, "overdue=true"));
        CollectionAssert.AreEqual(new[] { sev1.Id, overdue.Id, closed.Id }, await SearchAsync(client, "sort=severity"), "sev1, sev3, then no severity");
        CollectionAssert.AreEqual(new[] { sev1.Id, closed.Id, overdue.Id }, await SearchAsync(client, "sort=oldest"));
    }

    [TestMethod]
    public async Task FollowingContinuationTokensYieldsEveryResultOnceInSortOrderEvenWhenOneIsAddedBetweenPages()
    {
        string tenant = TestData.NewTenantId();
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        for (int i = 0; i < 23; i++)
        {
            await CreateAsync(tenant, p => p with { Id = Ids.NewPostmortemId(start.AddMinutes(i)), CreatedAt = start.AddMinutes(i), Title = $"Incident {i:D2} with the broker" });
        }

        using var client = Client(tenant);
        var titles = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = await TabApp.JsonAsync(await client.GetAsync(new Uri("/api/search?q=broker&sort=title&pageSize=10" + (token is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(token)), UriKind.Relative)));
            titles.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!));
            Assert.AreEqual(pages == 0 ? 23 : 24, page.GetProperty("total").GetInt32());
            token = page.GetProperty("continuation").GetString();
            if (pages++ == 0)
            {
                await CreateAsync(tenant, p => p with { Title = "Incident 00 again with the broker" }); // sorts before the next page: it must not shift it
            }
        }
        while (token is not null && pages < 5);

        CollectionAssert.AreEqual(Enumerable.Range(0, 23).Select(i => $"Incident {i:D2} with the broker").ToList(), titles);
    }

    [TestMethod]
    public async Task TheIndexFollowsEditsAndRemovalsOfFactorsAndTheSummary()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = await CreateAsync(tenant, p => p with { Summary = "Cache stampede after deploy." });
        var factor = (await Factors.AddAsync(tenant, postmortem, Factor(postmortem.Id, "Retry storm against the ledger"))).Value!;
        using var client = Client(tenant);
        Assert.HasCount(1, await SearchAsync(client, "q=ledger"));

        await Factors.DeleteAsync(tenant, factor);
        var stored = (await Postmortems.GetAsync(tenant, postmortem.Id))!;
        await Postmortems.UpdateAsync(tenant, stored with { Summary = "Thundering herd after deploy." });

        Assert.IsEmpty(await SearchAsync(client, "q=ledger"), "a removed factor is no longer found");
        Assert.IsEmpty(await SearchAsync(client, "q=stampede"), "nor the old summary");
        Assert.HasCount(1, await SearchAsync(client, "q=thundering"));
    }

    [TestMethod]
    [DataRow("sort=sideways", "sort")]
    [DataRow("severity=sev9", "severity")]
    [DataRow("status=archived", "status")]
    [DataRow("from=2026-13-01", "from")]
    [DataRow("from=2026-12-02&to=2026-12-01", "to")]
    [DataRow("label=%3Cscript%3E", "label")]
    [DataRow("overdue=maybe", "overdue")]
    [DataRow("pageSize=51", "pageSize")]
    [DataRow("q=a1+b2+c3+d4+e5+f6+g7+h8+i9", "q")]
    [DataRow("continuation=forged", "continuation")]
    public async Task BadSearchValuesAre400WithTheFieldNamed(string query, string field)
    {
        using var client = Client(TestData.NewTenantId());

        var problem = await TabApp.ProblemAsync(await client.GetAsync(new Uri("/api/search?" + query, UriKind.Relative)), HttpStatusCode.BadRequest);

        Assert.IsTrue(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [TestMethod]
    public async Task LabelsSaveNormalisedWithIfMatchAndAreSuggestedToTheTenantOnly()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = await CreateAsync(tenant, p => p);
        using var client = Client(tenant);

        var saved = await PutLabelsAsync(client, postmortem.Id, postmortem.ETag, """{"services":["Checkout  API","payments"],"tags":["Config Change"]}""");
        Assert.AreEqual(HttpStatusCode.OK, saved.StatusCode, await saved.Content.ReadAsStringAsync());
        var stored = (await Postmortems.GetAsync(tenant, postmortem.Id))!;
        CollectionAssert.AreEqual(new[] { "checkout api", "payments" }, stored.Services.ToList());
        CollectionAssert.AreEqual(new[] { "config change" }, stored.Tags.ToList());

        var stale = await PutLabelsAsync(client, postmortem.Id, postmortem.ETag, """{"services":[],"tags":[]}""");
        var problem = await TabApp.ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.AreEqual("checkout api", problem.GetProperty("current").GetProperty("services")[0].GetString());
        await TabApp.ProblemAsync(await PutLabelsAsync(client, postmortem.Id, null, """{"services":[],"tags":[]}"""), HttpStatusCode.PreconditionRequired);
        await TabApp.ProblemAsync(await PutLabelsAsync(client, postmortem.Id, stored.ETag, """{"services":["a\nb"],"tags":[]}"""), HttpStatusCode.BadRequest);
        await TabApp.ProblemAsync(await PutLabelsAsync(client, postmortem.Id, stored.ETag, """{"services":"checkout"}"""), HttpStatusCode.BadRequest);
        await TabApp.ProblemAsync(await PutLabelsAsync(client, postmortem.Id, stored.ETag, "{not json"), HttpStatusCode.BadRequest);
        Assert.AreEqual(stored.ETag, (await Postmortems.GetAsync(tenant, postmortem.Id))!.ETag, "refused changes change nothing");

        var inUse = await TabApp.JsonAsync(await client.GetAsync(new Uri("/api/labels", UriKind.Relative)));
        CollectionAssert.AreEquivalent(new[] { "checkout api", "payments" }, inUse.GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToList());
        using var other = Client(TestData.NewTenantId());
        var theirs = await TabApp.JsonAsync(await other.GetAsync(new Uri("/api/labels", UriKind.Relative)));
        Assert.AreEqual(0, theirs.GetProperty("services").GetArrayLength(), "another tenant is never offered our labels");
    }

    [TestMethod]
    public async Task AnotherTenantFindsNothingCannotLabelOurPostmortemAndCannotUseOurToken()
    {
        string tenant = TestData.NewTenantId();
        for (int i = 0; i < 3; i++)
        {
            await CreateAsync(tenant, p => p with { Title = $"Kafka lag {i}" });
        }

        var ours = (await Postmortems.GetAsync(tenant, (await CreateAsync(tenant, p => p with { Title = "Kafka lag 3" })).Id))!;
        using var client = Client(tenant);
        var page = await TabApp.JsonAsync(await client.GetAsync(new Uri("/api/search?q=kafka&pageSize=2", UriKind.Relative)));
        string token = page.GetProperty("continuation").GetString()!;
        using var other = Client(TestData.NewTenantId());

        Assert.IsEmpty(await SearchAsync(other, "q=kafka"));
        await TabApp.ProblemAsync(await other.GetAsync(new Uri("/api/search?q=kafka&pageSize=2&continuation=" + Uri.EscapeDataString(token), UriKind.Relative)), HttpStatusCode.BadRequest);
        await TabApp.ProblemAsync(await client.GetAsync(new Uri("/api/search?q=kafka&sort=title&pageSize=2&continuation=" + Uri.EscapeDataString(token), UriKind.Relative)), HttpStatusCode.BadRequest);
        await TabApp.ProblemAsync(await PutLabelsAsync(other, ours.Id, ours.ETag, """{"services":["stolen"],"tags":[]}"""), HttpStatusCode.NotFound);
        Assert.IsEmpty((await Postmortems.GetAsync(tenant, ours.Id))!.Services, "nothing changed");
    }

    [TestMethod]
    [DataRow("GET", "/api/search?q=x")]
    [DataRow("GET", "/api/labels")]
    [DataRow("PUT", "/api/postmortems/08d9f0c1a2b3c4d5ab12/labels")]
    public async Task ForgedOrMissingTokensAre401OnEveryNewRoute(string method, string url)
    {
        string tenant = TestData.NewTenantId();
        foreach (string? token in new[]
        {
            null,
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.UnpublishedKey),
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.None),
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Issuer = $"https://login.microsoftonline.com/{Guid.NewGuid()}/v2.0"),
        })
        {
            using var client = _app.Client(token);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
            if (method == "PUT")
            {
                request.Content = new StringContent("""{"services":[],"tags":[]}""", Encoding.UTF8, "application/json");
                request.Headers.TryAddWithoutValidation("If-Match", "W/\"x\"");
            }

            var response = await client.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode, $"{method} {url} with {(token is null ? "no token" : "a forged token")}");
        }
    }

    internal static ContributingFactor Factor(string postmortemId, string text) =>
        new() { Id = Ids.NewItemId(), PostmortemId = postmortemId, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Text = text, Category = Core.Analysis.FactorCategory.ChangeAndDeployment };

    private static HttpClient Client(string tenant) =>
        _app.Client(tenant, TestData.Alex);

    private static async Task<Postmortem> CreateAsync(string tenant, Func<Postmortem, Postmortem> change)
    {
        var result = await Postmortems.CreateAsync(tenant, change(TestData.Postmortem()));
        Assert.AreEqual(WriteStatus.Saved, result.Status, string.Join(" ", result.Errors.Select(e => e.Message)));
        return result.Value!;
    }

    private static async Task<List<string>> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri("/api/search?pageSize=50&" + query, UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        var body = await TabApp.JsonAsync(response);
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    private static async Task<HttpResponseMessage> PutLabelsAsync(HttpClient client, string postmortemId, string? ifMatch, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/postmortems/{postmortemId}/labels", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }
}
