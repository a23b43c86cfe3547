using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Postmortems.Security.Tests;

/// <summary>Sends corpus cases one at a time, snapshots the tables around each, and collects every broken rule.</summary>
internal sealed class CaseRunner(SecurityApp app, HttpClient client, string senderTenant, string otherTenant)
{
    private readonly List<string> _failures = [];
    private TableSnapshot? _last;

    public IReadOnlyList<string> Failures => _failures;

    public List<(TimeSpan Took, string Case)> Slowest { get; } = [];

    public TimeSpan SnapshotTime { get; private set; }

    public Dictionary<string, int> CountByCategory { get; } = new(StringComparer.Ordinal);

    public async Task RunAsync(AttackCase attack, Func<string>? token = null)
    {
        CountByCategory[attack.Category] = CountByCategory.GetValueOrDefault(attack.Category) + 1;
        // Nothing else writes between cases (reminders and the outbox worker are off), so the last case's after is this one's before.
        var before = _last ?? await app.SnapshotAsync();
        _last = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new ByteArrayContent(attack.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token());
        }

        HttpResponseMessage response;
        long sent = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            response = await client.SendAsync(request);
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(sent);
            Slowest.Add((took, attack.ToString()));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
        {
            // The test server rethrows an unhandled exception from the app: that is a 500.
            _failures.Add($"{attack}: the app threw {ex.GetType().Name}: {ex.Message}");
            return;
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var after = await app.SnapshotAsync();
            SnapshotTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
            _last = after;
            Check(attack, response.StatusCode, body, before, after);
        }
    }

    private void Check(AttackCase attack, HttpStatusCode status, string body, TableSnapshot before, TableSnapshot after)
    {
        if ((int)status >= 500 && status != HttpStatusCode.NotImplemented)
        {
            _failures.Add($"{attack}: {(int)status} {Short(body)}");
        }

        if (body.Contains(SeededPostmortem.SecretMarker, StringComparison.Ordinal))
        {
            _failures.Add($"{attack}: the answer carries another tenant's text");
        }

        if (attack.Expect == Expect.Refused && !IsRefusal(status, body))
        {
            _failures.Add($"{attack}: expected a refusal, got {(int)status} {Short(body)}");
        }

        var changes = before.Diff(after);
        if (attack.Expect is Expect.Refused or Expect.NoChange)
        {
            if (changes.Count > 0)
            {
                _failures.Add($"{attack}: state changed: {string.Join("; ", changes.Take(5))}");
            }
        }
        else
        {
            var foreign = changes.Where(c =>
            {
                string key = c.Split(' ', 2)[1];
                return !before.BelongsTo(key, senderTenant) && !after.BelongsTo(key, senderTenant);
            }).ToList();
            var otherTenantChanges = before.OfTenant(otherTenant).Diff(after.OfTenant(otherTenant));
            if (foreign.Count > 0 || otherTenantChanges.Count > 0)
            {
                _failures.Add($"{attack}: changed rows outside the sender's tenant: {string.Join("; ", foreign.Concat(otherTenantChanges).Take(5))}");
            }
        }
    }

    /// <summary>400, 401, 404, 413 or 501 over HTTP, or an invoke answered with an error in its body.</summary>
    private static bool IsRefusal(HttpStatusCode status, string body)
    {
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.NotImplemented)
        {
            return true;
        }

        if (status != HttpStatusCode.OK || body.Length == 0)
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("statusCode", out var code) && code.TryGetInt32(out int value) && value >= 400;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string body) => body.Length > 200 ? body[..200] + "…" : body;
}
