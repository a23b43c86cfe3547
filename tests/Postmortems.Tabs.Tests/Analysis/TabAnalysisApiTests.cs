using System.Net;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Analysis;

/// <summary>The analysis in GET /api/postmortems/{id}, through the real app and Azurite with real tokens.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabAnalysisApiTests
{
    private static TabApp _app = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => _app = await TabApp.StartSignedInAsync();

    [ClassCleanup]
    public static async Task Stop() => await _app.DisposeAsync();

    [TestMethod]
    public async Task APostmortemReadsWithFactorsTheirStateTheShortListsAndWhatIsMissing()
    {
        string tenant = TestData.NewTenantId();
        var seeded = await AnalysisSeed.SeedAsync(_app.Services, tenant, TestData.Alex, TestData.Megan);
        using var client = _app.Client(_app.Issuer.CreateToken(TabApp.ClientId, tenant, TestData.Megan.ObjectId, TestData.Megan.DisplayName));

        var body = await TabApp.JsonAsync(await client.GetAsync(new Uri($"/api/postmortems/{seeded.Postmortem.Id}", UriKind.Relative)));

        var factors = body.GetProperty("contributingFactors").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        var addressed = factors[seeded.Addressed.Id];
        Assert.AreEqual("addressed", addressed.GetProperty("state").GetString());
        Assert.AreEqual("change", addressed.GetProperty("category").GetString());
        Assert.AreEqual("Change and deployment", addressed.GetProperty("categoryTitle").GetString());
        Assert.AreEqual(seeded.Entry.Id, addressed.GetProperty("entryIds")[0].GetString());
        Assert.AreEqual(seeded.Action.Id, addressed.GetProperty("actionIds")[0].GetString());
        var open = factors[seeded.Open.Id];
        Assert.AreEqual("open", open.GetProperty("state").GetString());
        StringAssert.EndsWith(open.GetProperty("text").GetString(), AnalysisSeed.Hostile, "user text goes out as typed, for the front end to show as text");
        Assert.AreEqual(TestData.Megan.DisplayName, open.GetProperty("author").GetProperty("name").GetString());

        var wentWell = body.GetProperty("wentWell").EnumerateArray().Single();
        Assert.AreEqual(AnalysisSeed.WentWellText, wentWell.GetProperty("text").GetString());
        Assert.AreEqual(TestData.Megan.ObjectId, wentWell.GetProperty("author").GetProperty("id").GetString());
        Assert.AreEqual(TestData.Alex.ObjectId, body.GetProperty("lucky")[0].GetProperty("author").GetProperty("id").GetString());

        var missing = body.GetProperty("missing").EnumerateArray().Single();
        Assert.AreEqual("openFactor", missing.GetProperty("kind").GetString());
        Assert.AreEqual(seeded.Open.Id, missing.GetProperty("itemId").GetString());
    }

    [TestMethod]
    public async Task AnotherTenantCannotReadTheAnalysis()
    {
        string tenant = TestData.NewTenantId();
        var seeded = await AnalysisSeed.SeedAsync(_app.Services, tenant, TestData.Alex, TestData.Megan);
        using var other = _app.Client(_app.Issuer.CreateToken(TabApp.ClientId, TestData.NewTenantId(), TestData.Alex.ObjectId, TestData.Alex.DisplayName));

        var response = await other.GetAsync(new Uri($"/api/postmortems/{seeded.Postmortem.Id}", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(AnalysisSeed.WentWellText, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task TheExportCarriesTheAnalysisInThePracticesOrder()
    {
        string tenant = TestData.NewTenantId();
        var seeded = await AnalysisSeed.SeedAsync(_app.Services, tenant, TestData.Alex, TestData.Megan);
        using var client = _app.Client(tenant, TestData.Alex);

        string markdown = await (await client.GetAsync(new Uri($"/api/postmortems/{seeded.Postmortem.Id}/export.md", UriKind.Relative))).Content.ReadAsStringAsync();

        int factors = markdown.IndexOf("## Contributing factors", StringComparison.Ordinal);
        int well = markdown.IndexOf("## What went well", StringComparison.Ordinal);
        int lucky = markdown.IndexOf("## Where we got lucky", StringComparison.Ordinal);
        int whys = markdown.IndexOf("## 5 whys", StringComparison.Ordinal);
        Assert.IsTrue(markdown.IndexOf("## Timeline", StringComparison.Ordinal) < factors && factors < well && well < lucky && lucky < whys, markdown);
        Assert.Contains("State: addressed; addressed by: Add a schema check for checkout config", markdown);
        Assert.Contains(AnalysisSeed.WentWellText + " (Megan Bowen)", markdown);
        Assert.Contains("\\<img src=x onerror=window.hacked=1> \\*\\*bold\\*\\* \\[link\\](javascript:alert(1))", markdown, "hostile text is escaped for CommonMark");
    }
}
