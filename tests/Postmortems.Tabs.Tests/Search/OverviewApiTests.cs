using System.Net;
using System.Text.Json;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Tabs.Export;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Search;

/// <summary>The overview, its CSV and "seen before" through the real app, with real Azurite and real tokens.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class OverviewApiTests
{
    private static TabApp _app = null!;

    private static PostmortemRepository Postmortems => _app.Service<PostmortemRepository>();

    private static PostmortemItemStore<ActionItem> Actions => _app.Service<PostmortemItemStore<ActionItem>>();

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [ClassInitialize]
    public static async Task Start(TestContext context) => _app = await TabApp.StartSignedInAsync();

    [ClassCleanup]
    public static async Task Stop() => await _app.DisposeAsync();

    [TestMethod]
    public async Task TheFiguresCountWhatIsStoredAndFollowEditsAndRemovals()
    {
        string tenant = TestData.NewTenantId();
        var now = DateTimeOffset.UtcNow;
        var first = await CreateAsync(tenant, now.AddDays(-3), Severity.Sev1, detectedAfter: 10, mitigatedAfter: 60);
        var second = await CreateAsync(tenant, now.AddDays(-2), Severity.Sev2, detectedAfter: 30, mitigatedAfter: 120);
        await CreateAsync(tenant, now.AddDays(-200), Severity.Sev1, detectedAfter: 5, mitigatedAfter: 5); // outside the last 90 days
        var done = await AddActionAsync(tenant, first, TestData.Megan, RemediationCategory.Prevent);
        await AddActionAsync(tenant, first, TestData.Megan, RemediationCategory.QuickFix);
        var late = await AddActionAsync(tenant, second, TestData.Alex, RemediationCategory.Detect);
        await Actions.UpdateAsync(tenant, late with { DueDate = Today.AddDays(-1) });
        await Actions.UpdateAsync(tenant, done with { Status = ActionStatus.Done });
        var ideas = _app.Service<PostmortemItemStore<RemediationIdea>>();
        var idea = (await ideas.AddAsync(tenant, second, new RemediationIdea { Id = Ids.NewItemId(), PostmortemId = second.Id, Author = TestData.Alex, CreatedAt = now, Category = RemediationCategory.React, Text = "Page the payments on-call" })).Value!;
        using var client = Client(tenant);

        var figures = await OverviewAsync(client, string.Empty);
        Assert.AreEqual(2, figures.GetProperty("postmortems").GetInt32());
        var medians = figures.GetProperty("medians").EnumerateArray().Where(m => m.GetProperty("medianMinutes").ValueKind == JsonValueKind.Number).ToDictionary(m => m.GetProperty("measure").GetString()!, m => m.GetProperty("medianMinutes").GetDouble());
        Assert.AreEqual(20, medians["detection"], "median of 10 and 30 minutes");
        Assert.AreEqual(90, medians["mitigation"]);
        var megan = Member(figures, TestData.Megan);
        Assert.AreEqual((2, 1, 0), (megan.GetProperty("actions").GetInt32(), megan.GetProperty("done").GetInt32(), megan.GetProperty("overdue").GetInt32()));
        Assert.AreEqual(1, Member(figures, TestData.Alex).GetProperty("overdue").GetInt32());
        Assert.AreEqual((1, 0), Kind(figures, "react"));
        Assert.AreEqual((0, 1), Kind(figures, "quickFix"));

        await ideas.DeleteAsync(tenant, idea);
        var lateNow = (await Actions.GetAsync(tenant, second.Id, late.Id))!;
        await Actions.UpdateAsync(tenant, lateNow with { Status = ActionStatus.Done, UpdatedAt = now });

        var after = await OverviewAsync(client, string.Empty);
        Assert.AreEqual((0, 0), Kind(after, "react"), "a removed idea is no longer counted");
        Assert.AreEqual(0, Member(after, TestData.Alex).GetProperty("overdue").GetInt32(), "a finished action is no longer overdue");
        Assert.AreEqual(1, Member(after, TestData.Alex).GetProperty("done").GetInt32());
        Assert.AreEqual(3, (await OverviewAsync(client, $"from={Today.AddDays(-365):yyyy-MM-dd}")).GetProperty("postmortems").GetInt32(), "a longer period reaches the older one");
    }

    [TestMethod]
    public async Task QuickFixesDominatingIsSaidAndALabelNarrowsTheFigures()
    {
        string tenant = TestData.NewTenantId();
        var checkout = await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-1), Severity.Sev2, 10, 20, services: ["checkout"]);
        await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-1), Severity.Sev3, 10, 20);
        foreach (var kind in new[] { RemediationCategory.QuickFix, RemediationCategory.QuickFix, RemediationCategory.QuickFix, RemediationCategory.Prevent })
        {
            await AddActionAsync(tenant, checkout, TestData.Alex, kind);
        }

        using var client = Client(tenant);
        var figures = await OverviewAsync(client, "label=Checkout");

        Assert.AreEqual(1, figures.GetProperty("postmortems").GetInt32());
        Assert.IsTrue(figures.GetProperty("quickFixesDominate").GetBoolean());
        Assert.AreEqual("checkout", figures.GetProperty("label").GetString());
    }

    [TestMethod]
    public async Task SeenBeforeLinksEarlierPostmortemsWithSimilarFactorsAndSaysWhy()
    {
        string tenant = TestData.NewTenantId();
        var factors = _app.Service<PostmortemItemStore<ContributingFactor>>();
        var earlier = await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-30), Severity.Sev2, 10, 20);
        await factors.AddAsync(tenant, earlier, SearchApiTests.Factor(earlier.Id, "Config changes skip the canary stage"));
        var unrelated = await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-20), Severity.Sev2, 10, 20);
        await factors.AddAsync(tenant, unrelated, SearchApiTests.Factor(unrelated.Id, "Disk alert threshold too high"));
        var now = await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-1), Severity.Sev2, 10, 20);
        await factors.AddAsync(tenant, now, SearchApiTests.Factor(now.Id, "Config changes bypass the canary stage"));
        using var client = Client(tenant);

        var seen = await TabApp.JsonAsync(await client.GetAsync(new Uri($"/api/postmortems/{now.Id}/seen-before", UriKind.Relative)));
        var item = seen.GetProperty("items").EnumerateArray().Single();
        Assert.AreEqual(earlier.Id, item.GetProperty("postmortemId").GetString());
        StringAssert.Contains(item.GetProperty("reason").GetString(), "canary");

        var overview = await OverviewAsync(client, string.Empty);
        var recurring = overview.GetProperty("recurringFactors").EnumerateArray().Single();
        CollectionAssert.AreEquivalent(new[] { earlier.Id, now.Id }, recurring.GetProperty("postmortems").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList());

        using var other = Client(TestData.NewTenantId());
        await TabApp.ProblemAsync(await other.GetAsync(new Uri($"/api/postmortems/{now.Id}/seen-before", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.AreEqual(0, (await OverviewAsync(other, string.Empty)).GetProperty("postmortems").GetInt32(), "another tenant sees none of ours");
    }

    [TestMethod]
    public async Task TheCsvHasTheSameFiguresWithHostileNamesNeutralised()
    {
        string tenant = TestData.NewTenantId();
        var pm = await CreateAsync(tenant, DateTimeOffset.UtcNow.AddDays(-1), Severity.Sev2, 10, 20);
        await AddActionAsync(tenant, pm, new Person("00000000-0000-0000-0000-0000000000099", "=HYPERLINK(\"http://evil\";\"x\"), Bob"), RemediationCategory.Detect);
        using var client = Client(tenant);

        var response = await client.GetAsync(new Uri("/api/overview.csv", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
        string csv = await response.Content.ReadAsStringAsync();

        StringAssert.Contains(csv, "actions by member,\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\"), Bob\",actions,1\r\n");
        StringAssert.Contains(csv, "postmortems,all,count,1\r\n");
        Assert.IsFalse(csv.Split("\r\n").Any(line => line.Split(',').Any(f => f.StartsWith('='))), "no field starts a formula");
    }

    [TestMethod]
    [DataRow("=1+1", "'=1+1")]
    [DataRow("-2", "'-2")]
    [DataRow("@SUM(A1)", "'@SUM(A1)")]
    [DataRow("a,b", "\"a,b\"")]
    [DataRow("line\r\nbreak", "\"line\r\nbreak\"")]
    [DataRow("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [DataRow("plain", "plain")]
    public void CsvFieldsAreQuotedAndNeverStartAFormula(string value, string expected) => Assert.AreEqual(expected, CsvText.Field(value));

    [TestMethod]
    [DataRow("from=yesterday", "from")]
    [DataRow("from=2026-12-02&to=2026-12-01", "to")]
    [DataRow("from=2000-01-01&to=2026-01-01", "from")]
    [DataRow("label=%3Cb%3E", "label")]
    public async Task BadOverviewValuesAre400(string query, string field)
    {
        using var client = Client(TestData.NewTenantId());
        foreach (string route in new[] { "/api/overview?", "/api/overview.csv?" })
        {
            var problem = await TabApp.ProblemAsync(await client.GetAsync(new Uri(route + query, UriKind.Relative)), HttpStatusCode.BadRequest);
            Assert.IsTrue(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }
    }

    [TestMethod]
    [DataRow("/api/overview")]
    [DataRow("/api/overview.csv")]
    [DataRow("/api/postmortems/08d9f0c1a2b3c4d5ab12/seen-before")]
    public async Task ForgedOrMissingTokensAre401(string url)
    {
        string tenant = TestData.NewTenantId();
        foreach (string? token in new[]
        {
            null,
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.UnpublishedKey),
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.HmacWithPublicKey),
            _app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Alex.ObjectId, configure: o => o.Issuer = $"https://login.microsoftonline.com/{Guid.NewGuid()}/v2.0"),
        })
        {
            using var client = _app.Client(token);
            Assert.AreEqual(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(url, UriKind.Relative))).StatusCode, url);
        }
    }

    private static HttpClient Client(string tenant) =>
        _app.Client(tenant, TestData.Alex);

    private static async Task<JsonElement> OverviewAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync(new Uri("/api/overview?" + query, UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return await TabApp.JsonAsync(response);
    }

    private static JsonElement Member(JsonElement figures, Person person) =>
        figures.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == person.ObjectId);

    private static (int Ideas, int Actions) Kind(JsonElement figures, string kind)
    {
        var k = figures.GetProperty("kinds").EnumerateArray().Single(m => m.GetProperty("kind").GetString() == kind);
        return (k.GetProperty("ideas").GetInt32(), k.GetProperty("actions").GetInt32());
    }

    private static async Task<Postmortem> CreateAsync(string tenant, DateTimeOffset started, Severity severity, int detectedAfter, int mitigatedAfter, IReadOnlyList<string>? services = null)
    {
        var p = TestData.Postmortem(started.AddHours(3)) with
        {
            Severity = severity,
            StartedAt = started,
            DetectedAt = started.AddMinutes(detectedAfter),
            MitigatedAt = started.AddMinutes(mitigatedAfter),
            Services = services ?? [],
        };
        var result = await Postmortems.CreateAsync(tenant, p);
        Assert.AreEqual(WriteStatus.Saved, result.Status);
        return result.Value!;
    }

    private static async Task<ActionItem> AddActionAsync(string tenant, Postmortem postmortem, Person owner, RemediationCategory kind)
    {
        var result = await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Owner = owner, Category = kind });
        Assert.AreEqual(WriteStatus.Saved, result.Status, string.Join(" ", result.Errors.Select(e => e.Message)));
        return result.Value!;
    }
}
