using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Postmortems.Testing;

namespace Postmortems.GraphSync.Tests.Graph;

/// <summary>The fake's own promises, checked with plain HTTP (other test projects rely on them too).</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class FakeGraphServerTests
{
    [TestMethod]
    public async Task AnUnknownRouteIsA404WithAGraphErrorBody()
    {
        await using var server = await FakeGraphServer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{server.BaseUrl}/me/drive"));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.AreEqual("UnknownRoute", error["code"]!.GetValue<string>());
        Assert.IsFalse(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [TestMethod]
    public async Task FaultsAreUsedInOrderOneRequestAtATime()
    {
        await using var server = await FakeGraphServer.StartAsync();
        server.FailNext("GET", "/users/a", 503, times: 2);
        server.FailNext("GET", "/users/", 404);
        using var http = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync(new Uri($"{server.BaseUrl}/users/a"));
            statuses.Add(response.StatusCode);
        }

        CollectionAssert.AreEqual(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.NotFound, HttpStatusCode.OK }, statuses);
    }

    [TestMethod]
    public async Task PatchingAnUnknownEventIsA404AndAKnownOneMergesTopLevelFields()
    {
        await using var server = await FakeGraphServer.StartAsync();
        using var http = new HttpClient();
        using var created = await http.PostAsJsonAsync(new Uri($"{server.BaseUrl}/users/u1/events"), new { subject = "a", isOnlineMeeting = true });
        string id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var missing = await http.PatchAsJsonAsync(new Uri($"{server.BaseUrl}/users/u1/events/nope"), new { subject = "b" });
        using var patched = await http.PatchAsJsonAsync(new Uri($"{server.BaseUrl}/users/u1/events/{id}"), new { subject = "b" });

        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, patched.StatusCode);
        var stored = server.Events.Single();
        Assert.AreEqual("u1", stored.UserId);
        Assert.AreEqual("b", stored.Json["subject"]!.GetValue<string>());
        Assert.IsNotNull(stored.Json["onlineMeeting"]?["joinUrl"]);
    }

    [TestMethod]
    public async Task WaitForRequestReturnsWhenAMatchingRequestArrives()
    {
        await using var server = await FakeGraphServer.StartAsync();
        using var http = new HttpClient();

        var waiting = server.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/channels", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var response = await http.PostAsJsonAsync(new Uri($"{server.BaseUrl}/teams/t1/channels"), new { displayName = "x" });

        Assert.AreEqual("/v1.0/teams/t1/channels", (await waiting).Path);
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode);
        Assert.AreEqual("x", server.Channels.Single().DisplayName);
    }
}
