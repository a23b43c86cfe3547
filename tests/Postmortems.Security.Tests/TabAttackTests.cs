using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>
/// The tab API under bad input: PATCH bodies, If-Match values, route ids and query strings mutated (wrong types, huge
/// values, deep JSON, OData characters, other tenants' ids) — never a 5xx, never a change, never another tenant's
/// text; and forged Teams SSO tokens, 401 and no change.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TabAttackTests
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";

    private static LocalEntraIssuer _issuer = null!;
    private static SecurityApp _app = null!;
    private static SeededPostmortem _a = null!;
    private static SeededPostmortem _b = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _issuer = await LocalEntraIssuer.StartAsync();
        _app = await SecurityApp.StartAsync(IPAddress.Loopback, new Dictionary<string, string?>
        {
            ["Auth:ClientId"] = ClientId,
            ["Auth:ApplicationIdUri"] = "api://localhost/" + ClientId,
            ["Auth:MetadataAddress"] = _issuer.MetadataUrl.AbsoluteUri,
        });
        _a = await SeededPostmortem.CreateAsync(_app.Factory.Services, TestData.NewTenantId(), "19:chat-a@thread.v2", secret: true);
        _b = await SeededPostmortem.CreateAsync(_app.Factory.Services, TestData.NewTenantId(), "19:chat-b@thread.v2", secret: false);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task EveryBadRequestIsAnsweredWithoutA5xxAndChangesNothing()
    {
        var cases = TabCases().ToList();
        string token = Token(_b.TenantId);
        var failures = new List<string>();
        var before = await _app.SnapshotAsync();
        var clock = Stopwatch.StartNew();
        foreach (var (name, method, url, body, ifMatch) in cases)
        {
            using var client = _app.Client();
            using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            using var response = await client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            var after = await _app.SnapshotAsync();
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{name}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
            }

            if (text.Contains(SeededPostmortem.SecretMarker, StringComparison.Ordinal))
            {
                failures.Add($"{name}: the answer carries another tenant's text");
            }

            if (before.Diff(after) is { Count: > 0 } changes)
            {
                failures.Add($"{name}: {(int)response.StatusCode}, state changed: {string.Join("; ", changes.Take(3))}");
            }

            before = after;
        }

        TestContext.WriteLine($"{cases.Count} tab API cases in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }

    public static IEnumerable<object[]> ForgedTokens() =>
    [
        ["another key", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.UnpublishedKey))],
        ["alg none", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.None))],
        ["HS256 keyed with the public key", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => o.Signing = TokenSigning.HmacWithPublicKey))],
        ["expired", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => { o.NotBefore = DateTimeOffset.UtcNow.AddHours(-2); o.Expires = DateTimeOffset.UtcNow.AddMinutes(-6); }))],
        ["wrong audience", new Func<string>(() => _issuer.CreateToken("22222222-2222-2222-2222-222222222222", _b.TenantId, TestData.Alex.ObjectId))],
        ["no scope", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => o.Scope = string.Empty))],
        ["issuer of another tenant than tid", new Func<string>(() => _issuer.CreateToken(ClientId, _b.TenantId, TestData.Alex.ObjectId, configure: o => o.Issuer = $"https://login.microsoftonline.com/{_a.TenantId}/v2.0"))],
        ["tid with OData characters", new Func<string>(() => _issuer.CreateToken(ClientId, "x' or PartitionKey ne 'x", TestData.Alex.ObjectId))],
        ["the bot's token", new Func<string>(() => "eyJhbGciOiJub25lIn0.eyJhdWQiOiIxMTExMTExMS0yMjIyLTMzMzMtNDQ0NC01NTU1NTU1NTU1NTUifQ.")],
    ];

    [TestMethod]
    [DynamicData(nameof(ForgedTokens))]
    public async Task AForgedTabTokenIs401AndChangesNothing(string what, Func<string> token)
    {
        using var client = _app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token());
        var before = await _app.SnapshotAsync();

        var read = await client.GetAsync(new Uri("/api/me/actions", UriKind.Relative));
        var write = await PatchAsync(client, _b.Postmortem.Id, _b.Action.Id, _b.Action.ETag, """{ "status": "done" }""");

        Assert.AreEqual(HttpStatusCode.Unauthorized, read.StatusCode, what);
        Assert.AreEqual(HttpStatusCode.Unauthorized, write.StatusCode, what);
        Assert.IsEmpty(before.Diff(await _app.SnapshotAsync()), what);
    }

    [TestMethod]
    public async Task AnotherTenantsValidTokenGets404ForThisTenantsIdsAndChangesNothing()
    {
        using var client = _app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(_b.TenantId));
        var before = await _app.SnapshotAsync();
        string[] reads =
        [
            $"/api/postmortems/{_a.Postmortem.Id}",
            $"/api/postmortems/{_a.Postmortem.Id}/actions",
            $"/api/postmortems/{_a.Postmortem.Id}/export.md",
        ];

        foreach (string url in reads)
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, url);
            Assert.DoesNotContain(SeededPostmortem.SecretMarker, await response.Content.ReadAsStringAsync(), url);
        }

        var patch = await PatchAsync(client, _a.Postmortem.Id, _a.Action.Id, _a.Action.ETag, """{ "status": "done" }""");
        var mixed = await PatchAsync(client, _b.Postmortem.Id, _a.Action.Id, _a.Action.ETag, """{ "status": "done" }""");
        var list = await client.GetAsync(new Uri("/api/postmortems", UriKind.Relative));
        var mine = await client.GetAsync(new Uri("/api/me/actions", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, mixed.StatusCode);
        Assert.DoesNotContain(SeededPostmortem.SecretMarker, await list.Content.ReadAsStringAsync());
        Assert.DoesNotContain(SeededPostmortem.SecretMarker, await mine.Content.ReadAsStringAsync());
        Assert.IsEmpty(before.Diff(await _app.SnapshotAsync()));
    }

    /// <summary>Bad PATCH bodies, If-Match values, route ids and query strings, all with tenant B's valid token.</summary>
    private static IEnumerable<(string Name, HttpMethod Method, string Url, string? Body, string? IfMatch)> TabCases()
    {
        string pm = _b.Postmortem.Id;
        string action = _b.Action.Id;
        string etag = _b.Action.ETag!;
        string patchUrl = $"/api/postmortems/{pm}/actions/{action}";
        string[] wrongTypes = ["42", "[\"done\"]", "{\"x\":1}", "true", "null", "-1e309", "\"\""];
        foreach (string field in new[] { "status", "dueDate", "owner" })
        {
            foreach (string value in wrongTypes)
            {
                yield return ($"PATCH {field} = {value}", HttpMethod.Patch, patchUrl, $"{{\"{field}\":{value}}}", etag);
            }
        }

        foreach (string value in new[] { "{\"id\":42,\"name\":\"x\"}", "{\"id\":\"x' or PartitionKey ne 'x\",\"name\":\"x\"}", "{\"id\":\"../../a\",\"name\":\"x\"}", "{\"name\":\"no id\"}", "{\"id\":\"" + new string('o', 10_000) + "\"}" })
        {
            yield return ($"PATCH owner = {Corpus.Describe(value)}", HttpMethod.Patch, patchUrl, $"{{\"owner\":{value}}}", etag);
        }

        foreach (string text in Corpus.HostileTexts.Concat(Corpus.ODataIds))
        {
            string json = System.Text.Json.JsonSerializer.Serialize(text);
            yield return ($"PATCH status = {Corpus.Describe(text)}", HttpMethod.Patch, patchUrl, $"{{\"status\":{json}}}", etag);
            yield return ($"PATCH dueDate = {Corpus.Describe(text)}", HttpMethod.Patch, patchUrl, $"{{\"dueDate\":{json}}}", etag);
        }

        foreach (string body in new[] { "", "null", "[]", "\"done\"", "{", "{\"status\":\"done\",}", "{\"status\":\"\\ud800\"}", new string('[', 70) + new string(']', 70), "{\"status\":" + new string('[', 100) + new string(']', 100) + "}", "{\"status\":\"" + new string('d', 300 * 1024) + "\"}", "{\"x\":\"" + new string('x', 2 * 1024 * 1024) + "\"}" })
        {
            yield return ($"PATCH body {Corpus.Describe(body)}", HttpMethod.Patch, patchUrl, body, etag);
        }

        // If-Match values that storage never issued; a valid body, so only the version check stands in the way.
        foreach (string ifMatch in new[] { "*", "W/\"*\"", "\"", "..", "W/", "x' or 1 eq 1", "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"", etag + ", *", new string('e', 5000), _a.Action.ETag! })
        {
            yield return ($"PATCH If-Match {Corpus.Describe(ifMatch)}", HttpMethod.Patch, patchUrl, "{\"status\":\"inProgress\"}", ifMatch);
        }

        foreach (string id in Corpus.ODataIds.Append(new string('i', 5000)).Append(_a.Postmortem.Id))
        {
            string escaped = Uri.EscapeDataString(id);
            yield return ($"PATCH postmortem id {Corpus.Describe(id)}", HttpMethod.Patch, $"/api/postmortems/{escaped}/actions/{action}", "{\"status\":\"done\"}", etag);
            yield return ($"PATCH action id {Corpus.Describe(id)}", HttpMethod.Patch, $"/api/postmortems/{pm}/actions/{escaped}", "{\"status\":\"done\"}", etag);
            yield return ($"GET postmortem {Corpus.Describe(id)}", HttpMethod.Get, $"/api/postmortems/{escaped}", null, null);
            yield return ($"GET export {Corpus.Describe(id)}", HttpMethod.Get, $"/api/postmortems/{escaped}/export.md", null, null);
        }

        foreach (string query in new[]
        {
            "status=' or 1 eq 1", "status=open' or PartitionKey ne '", "status=OPEN", "status=", "status=open&status=closed", "pageSize=-1", "pageSize=99999999999999999999",
            "pageSize=1e3", "pageSize=%00", "continuation=garbage", "continuation=%27%20or%20PartitionKey%20ne%20%27", "continuation=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(_a.TenantId + "|" + _a.Postmortem.Id))),
            "continuation=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"NextPartitionKey\":\"" + _a.TenantId + "\",\"NextRowKey\":\"\"}"))),
            "continuation=" + new string('c', 20_000), "status[]=open", "%ZZ=1",
        })
        {
            yield return ($"GET list ?{Corpus.Describe(query)}", HttpMethod.Get, "/api/postmortems?" + query, null, null);
            yield return ($"GET my actions ?{Corpus.Describe(query)}", HttpMethod.Get, "/api/me/actions?" + query, null, null);
        }
    }

    private static string Token(string tenantId) => _issuer.CreateToken(ClientId, tenantId, TestData.Alex.ObjectId, TestData.Alex.DisplayName);

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string postmortemId, string actionId, string? ifMatch, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/postmortems/{postmortemId}/actions/{actionId}", UriKind.Relative))
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
