using System.Net;
using System.Text.Json;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests;

/// <summary>Removed items through the tab's API and export, with real Azurite and real tokens; and what actions now carry.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class RemovedItemsTabApiTests
{
    private static TabApp _app = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => _app = await TabApp.StartSignedInAsync();

    [ClassCleanup]
    public static async Task Stop() => await _app.DisposeAsync();

    [TestMethod]
    public async Task RemovedItemsAreNotReturnedByThePostmortemItsActionsMyActionsOrTheExport()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await _app.Service<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem())).Value!;
        var kept = (await Store<ActionItem>().AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Kept: add a schema check" })).Value!;
        var action = (await Store<ActionItem>().AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Title = "Removed: route config through the canary" })).Value!;
        var entry = (await Store<TimelineEntry>().AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id) with { Description = "Removed entry text" })).Value!;
        var idea = (await Store<RemediationIdea>().AddAsync(tenant, postmortem, new RemediationIdea { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Category = RemediationCategory.Detect, Text = "Removed idea text" })).Value!;
        var whys = (await Store<FiveWhys>().AddAsync(tenant, postmortem, new FiveWhys { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Problem = "Removed why problem", Whys = ["Removed why"] })).Value!;
        var takeaway = (await Store<Takeaway>().AddAsync(tenant, postmortem, new Takeaway { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow, Text = "Removed takeaway text" })).Value!;

        Assert.IsTrue((await Store<ActionItem>().RemoveAsync(tenant, action, TestData.Alex)).IsSaved);
        Assert.IsTrue((await Store<TimelineEntry>().RemoveAsync(tenant, entry, TestData.Alex)).IsSaved);
        Assert.IsTrue((await Store<RemediationIdea>().RemoveAsync(tenant, idea, TestData.Alex)).IsSaved);
        Assert.IsTrue((await Store<FiveWhys>().RemoveAsync(tenant, whys, TestData.Alex)).IsSaved);
        Assert.IsTrue((await Store<Takeaway>().RemoveAsync(tenant, takeaway, TestData.Alex)).IsSaved);
        using var megan = Client(tenant, TestData.Megan);

        var whole = await TabApp.JsonAsync(await megan.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}", UriKind.Relative)));
        var actions = await TabApp.JsonAsync(await megan.GetAsync(new Uri($"/api/postmortems/{postmortem.Id}/actions", UriKind.Relative)));
        var mine = await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions", UriKind.Relative)));
        string export = await megan.GetStringAsync(new Uri($"/api/postmortems/{postmortem.Id}/export.md", UriKind.Relative));
        var patch = await PatchAsync(megan, postmortem.Id, action.Id, action.ETag!, """{ "status": "done" }""");

        Assert.AreEqual(0, whole.GetProperty("timeline").GetArrayLength());
        Assert.AreEqual(0, whole.GetProperty("ideas").GetArrayLength());
        Assert.AreEqual(0, whole.GetProperty("whys").GetArrayLength());
        Assert.AreEqual(0, whole.GetProperty("takeaways").GetArrayLength());
        CollectionAssert.AreEqual(new[] { kept.Id }, IdsOf(whole.GetProperty("actions")));
        CollectionAssert.AreEqual(new[] { kept.Id }, IdsOf(actions.GetProperty("items")));
        CollectionAssert.AreEqual(new[] { kept.Id }, IdsOf(mine.GetProperty("items")));
        foreach (string text in new[] { "Removed:", "Removed entry text", "Removed idea text", "Removed why", "Removed takeaway text" })
        {
            Assert.DoesNotContain(text, export, "the export leaves removed items out");
        }

        StringAssert.Contains(export, "Kept: add a schema check");
        Assert.IsTrue(patch.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed, $"a removed action can't be changed from the tab: {patch.StatusCode}");
        Assert.IsNotNull(await Store<ActionItem>().GetRemovedAsync(tenant, postmortem.Id, action.Id), "and it is still removed, unchanged");
    }

    [TestMethod]
    public async Task AnActionsPriorityAndWorkItemLinkAreReturned()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await _app.Service<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem())).Value!;
        await Store<ActionItem>().AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with { Priority = ActionPriority.High, WorkItemLink = "https://tracker.example.com/items/42" });
        using var megan = Client(tenant, TestData.Megan);

        var item = (await TabApp.JsonAsync(await megan.GetAsync(new Uri("/api/me/actions", UriKind.Relative)))).GetProperty("items")[0];

        Assert.AreEqual("high", item.GetProperty("priority").GetString());
        Assert.AreEqual("https://tracker.example.com/items/42", item.GetProperty("workItemLink").GetString());
    }

    private static string?[] IdsOf(JsonElement items) => [.. items.EnumerateArray().Select(a => a.GetProperty("id").GetString())];

    private static PostmortemItemStore<T> Store<T>()
        where T : PostmortemItem => _app.Service<PostmortemItemStore<T>>();

    private static HttpClient Client(string tenant, Person user) =>
        _app.Client(tenant, user);

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string postmortemId, string actionId, string ifMatch, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/postmortems/{postmortemId}/actions/{actionId}", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }
}
