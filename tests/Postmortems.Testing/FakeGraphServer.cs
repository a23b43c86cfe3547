using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.Testing;

/// <summary>An event the fake stores for a user: the JSON as posted (and patched), plus the fields Graph adds.</summary>
public sealed record FakeGraphEvent(string UserId, string Id, JsonObject Json);

/// <summary>A channel the fake holds for a team: the JSON it answers with.</summary>
public sealed record FakeGraphChannel(string TeamId, string Id, string DisplayName, JsonObject Json);

/// <summary>A tab posted to a channel: the JSON as posted, plus its id.</summary>
public sealed record FakeGraphTab(string TeamId, string ChannelId, string Id, JsonObject Json);

/// <summary>One entry in a person's calendar, as getSchedule reports it.</summary>
/// <param name="Status">Graph freeBusyStatus: "free", "tentative", "busy", "oof", "workingElsewhere" or "unknown".</param>
public sealed record FakeScheduleItem(DateTimeOffset Start, DateTimeOffset End, string Status = "busy", string? Subject = null);

/// <summary>A person's working hours, as getSchedule reports them.</summary>
/// <param name="TimeZoneName">As Outlook stores it: a Windows id ("Eastern Standard Time") or an IANA id.</param>
public sealed record FakeWorkingHours(string TimeZoneName, TimeOnly Start, TimeOnly End, IReadOnlyList<DayOfWeek> Days)
{
    /// <summary>08:00-17:00, Monday to Friday, in UTC: what the fake reports for a calendar nobody configured.</summary>
    public static FakeWorkingHours Default { get; } = new(
        "UTC",
        new TimeOnly(8, 0),
        new TimeOnly(17, 0),
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
}

/// <summary>What getSchedule answers for one e-mail address.</summary>
public sealed record FakeSchedule
{
    public IReadOnlyList<FakeScheduleItem> Items { get; init; } = [];

    /// <summary>Null: the schedule has no workingHours (Graph leaves them out when it does not know them).</summary>
    public FakeWorkingHours? WorkingHours { get; init; } = FakeWorkingHours.Default;

    /// <summary>Set: Graph could not read this calendar; the schedule carries only this error message.</summary>
    public string? Error { get; init; }
}

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port that stands in for Microsoft Graph v1.0, for the real
/// <c>GraphServiceClient</c> pointed at <see cref="BaseUrl"/>. It records every request and behaves like Graph for:
/// <list type="bullet">
/// <item><c>GET /v1.0/users/{id}</c> (honours <c>$select</c>): from <see cref="AddUser"/>, else a made-up user
/// "User {id}" with mail "{id}@contoso.test"; ids given to <see cref="MarkUserMissing"/> answer 404.</item>
/// <item><c>POST /v1.0/users/{id}/calendar/getSchedule</c>: from <see cref="SetSchedule"/> per e-mail, else a free
/// calendar with <see cref="FakeWorkingHours.Default"/>. Item times are always answered in UTC.</item>
/// <item><c>POST /v1.0/users/{id}/events</c> (201; a transactionId seen before for that user returns the first event
/// and stores nothing), <c>GET</c> and <c>PATCH /v1.0/users/{id}/events/{eventId}</c> (top-level fields merged; 404
/// for an unknown event), <c>GET /v1.0/users/{id}/events</c>.</item>
/// <item><c>POST /v1.0/teams/{teamId}/channels</c> (201; a displayName already in the team, ignoring case, answers 400
/// "NameAlreadyExists"), <c>GET /v1.0/teams/{teamId}/channels</c> with an optional <c>$filter=displayName eq '…'</c>,
/// <c>POST /v1.0/teams/{teamId}/channels/{channelId}/tabs</c> (201; the channel must exist).</item>
/// <item>Anything else: 404 with a Graph error body <c>{"error":{"code":…,"message":…}}</c>.</item>
/// </list>
/// Faults (<see cref="FailNext"/>, <see cref="DelayNext"/>) are kept in the order they were added; each request uses up
/// the first one that matches it. All members are thread-safe. Dispose to stop the server.
/// </summary>
public sealed partial class FakeGraphServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private readonly Lock _gate = new();
    private readonly RequestLog _log = new();
    private readonly List<Fault> _faults = [];
    private readonly Dictionary<string, JsonObject> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _missingUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeSchedule> _schedules = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeGraphEvent> _events = [];
    private readonly List<FakeGraphChannel> _channels = [];
    private readonly List<FakeGraphTab> _tabs = [];
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private FakeGraphServer()
    {
    }

    /// <summary>Graph's stand-in root, e.g. "http://127.0.0.1:50123/v1.0" (no trailing slash): use it as Graph:BaseUrl.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A snapshot of the requests received so far, in arrival order (paths still percent-encoded).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Requests;

    /// <summary>A snapshot of the stored events (copies: changing them changes nothing in the server).</summary>
    public IReadOnlyList<FakeGraphEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Select(e => e with { Json = (JsonObject)e.Json.DeepClone() })];
            }
        }
    }

    /// <summary>
    /// The stored events once there are at least <paramref name="count"/>. A request is recorded when it arrives, before
    /// its event is stored, so a test that saw the request waits here for the event rather than reading too early.
    /// </summary>
    public async Task<IReadOnlyList<FakeGraphEvent>> WaitForEventsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = Events;
            if (events.Count >= count)
            {
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{events.Count} of {count} events were stored within {timeout}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>A snapshot of the channels, made by requests or <see cref="AddChannel"/>.</summary>
    public IReadOnlyList<FakeGraphChannel> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels.Select(c => c with { Json = (JsonObject)c.Json.DeepClone() })];
            }
        }
    }

    /// <summary>A snapshot of the tabs posted.</summary>
    public IReadOnlyList<FakeGraphTab> Tabs
    {
        get
        {
            lock (_gate)
            {
                return [.. _tabs.Select(t => t with { Json = (JsonObject)t.Json.DeepClone() })];
            }
        }
    }

    /// <summary>Starts a server on a loopback port the OS picks, so parallel tests never collide.</summary>
    public static async Task<FakeGraphServer> StartAsync()
    {
        var server = new FakeGraphServer();
        var (app, root) = await LoopbackHost.StartAsync(a => a.Run(server.HandleAsync)).ConfigureAwait(false);
        server.BaseUrl = new Uri(root, "v1.0");
        server._app = app;
        return server;
    }

    /// <summary>Adds (or replaces) a directory user answered by <c>GET /users/{id}</c>.</summary>
    public void AddUser(string id, string displayName, string? mail, string? userPrincipalName = null)
    {
        var user = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = displayName,
            ["mail"] = mail,
            ["userPrincipalName"] = userPrincipalName ?? mail ?? $"{id}@contoso.test",
        };
        lock (_gate)
        {
            _users[id] = user;
            _missingUsers.Remove(id);
        }
    }

    /// <summary>Makes every <c>/users/{id}…</c> request for these ids answer 404 (Request_ResourceNotFound).</summary>
    public void MarkUserMissing(params string[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            _missingUsers.UnionWith(ids);
        }
    }

    /// <summary>Sets what getSchedule answers for this e-mail address.</summary>
    public void SetSchedule(string email, FakeSchedule schedule)
    {
        lock (_gate)
        {
            _schedules[email] = schedule;
        }
    }

    /// <summary>Adds a channel as if it had been made earlier; returns it.</summary>
    public FakeGraphChannel AddChannel(string teamId, string displayName, string description = "")
    {
        lock (_gate)
        {
            return CreateChannel(teamId, displayName, description, "standard");
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests whose method matches and whose path and query (decoded) contains
    /// <paramref name="pathContains"/> (ignoring case) answer <paramref name="status"/> with a Graph error body, and a
    /// Retry-After header (whole seconds) when <paramref name="retryAfter"/> is given. The error's code and message
    /// default to what Graph says for that status; <paramref name="headers"/> adds (or overrides) response headers,
    /// e.g. a Retry-After given as an HTTP date.
    /// </summary>
    public void FailNext(
        string method,
        string pathContains,
        int status,
        TimeSpan? retryAfter = null,
        int times = 1,
        string? code = null,
        string? message = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var (defaultCode, defaultMessage) = DefaultError(status);
        var failure = new Failure(status, code ?? defaultCode, message ?? defaultMessage, retryAfter, headers);
        lock (_gate)
        {
            _faults.Add(new Fault(method, pathContains, times, failure, null));
        }
    }

    /// <summary>
    /// Delays the next matching request (matched as in <see cref="FailNext"/>). <paramref name="applyFirst"/> true: the
    /// request is carried out at once (the event is stored, say) and only the answer waits, modelling "Graph did it but
    /// the answer never arrived" for a client timeout. False: nothing happens until the delay is over.
    /// A client that gives up (or disposing the server) ends the wait.
    /// </summary>
    public void DelayNext(string method, string pathContains, TimeSpan delay, bool applyFirst)
    {
        lock (_gate)
        {
            _faults.Add(new Fault(method, pathContains, 1, null, new Delay(delay, applyFirst)));
        }
    }

    /// <summary>The first request (already received or still to come) that matches; throws TimeoutException after <paramref name="timeout"/>.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, TimeSpan timeout) => _log.WaitForRequestAsync(match, timeout);

    public async ValueTask DisposeAsync()
    {
        // End delayed answers first, or Kestrel would wait for them while stopping.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await _log.RecordAsync(context).ConfigureAwait(false);
        string target = request.PathAndQuery;

        Fault? fault;
        lock (_gate)
        {
            fault = TakeFault(request);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            if (fault?.Failure is { } failure)
            {
                var failed = Error(failure.Status, failure.Code, failure.Message);
                if (failure.RetryAfter is { } retryAfter)
                {
                    failed.Headers["Retry-After"] = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                foreach (var (name, value) in failure.Headers ?? new Dictionary<string, string>())
                {
                    failed.Headers[name] = value;
                }

                await WriteAsync(context, failed, wait.Token).ConfigureAwait(false);
                return;
            }

            if (fault?.Delay is { ApplyFirst: false } before)
            {
                await Task.Delay(before.Duration, wait.Token).ConfigureAwait(false);
            }

            Answer answer;
            lock (_gate)
            {
                answer = Route(context.Request, request);
            }

            if (fault?.Delay is { ApplyFirst: true } after)
            {
                await Task.Delay(after.Duration, wait.Token).ConfigureAwait(false);
            }

            await WriteAsync(context, answer, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // The client gave up or the server is stopping: nobody is listening for the answer.
            context.Abort();
        }
    }

    private Fault? TakeFault(RecordedRequest request)
    {
        string decoded = Uri.UnescapeDataString(request.PathAndQuery);
        int index = _faults.FindIndex(f =>
            string.Equals(f.Method, request.Method, StringComparison.OrdinalIgnoreCase)
            && (decoded.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)
                || request.PathAndQuery.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)));
        if (index < 0)
        {
            return null;
        }

        var fault = _faults[index];
        if (fault.Times <= 1)
        {
            _faults.RemoveAt(index);
        }
        else
        {
            _faults[index] = fault with { Times = fault.Times - 1 };
        }

        return fault;
    }

    private static async Task WriteAsync(HttpContext context, Answer answer, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Body.ToJsonString(Compact), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Does what Graph would do for the request. Runs under the lock.</summary>
    private Answer Route(HttpRequest http, RecordedRequest request)
    {
        string path = http.Path.Value ?? "/";
        if (!path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            return Error(404, "UnknownVersion", $"No Graph version in '{path}'; the fake serves /v1.0 only.");
        }

        string[] s = path["/v1.0/".Length..].TrimEnd('/').Split('/');
        string method = request.Method.ToUpperInvariant();
        bool Is(int index, string name) => s.Length > index && string.Equals(s[index], name, StringComparison.OrdinalIgnoreCase);

        if (Is(0, "users") && s.Length >= 2)
        {
            string userId = s[1];
            if (_missingUsers.Contains(userId))
            {
                return Error(404, "Request_ResourceNotFound", $"Resource '{userId}' does not exist or one of its queried reference-property objects are not present.");
            }

            if (Is(2, "todo"))
            {
                return RouteTodo(userId, method, s, http, request);
            }

            return (method, s.Length) switch
            {
                ("GET", 2) => GetUser(userId, http.Query["$select"].ToString()),
                ("POST", 4) when Is(2, "calendar") && Is(3, "getSchedule") => GetSchedule(request.Body),
                ("POST", 3) when Is(2, "events") => PostEvent(userId, request.Body),
                ("GET", 3) when Is(2, "events") => Ok(200, new JsonObject
                {
                    ["value"] = new JsonArray([.. _events.Where(e => SameId(e.UserId, userId)).Select(e => (JsonNode)e.Json.DeepClone())]),
                }),
                ("GET", 4) when Is(2, "events") => FindEvent(userId, s[3]) is { } found ? Ok(200, found.Json.DeepClone()) : EventNotFound(),
                ("PATCH", 4) when Is(2, "events") => PatchEvent(userId, s[3], request.Body),
                _ => NoRoute(method, path),
            };
        }

        if (Is(0, "teams") && s.Length >= 3 && Is(2, "channels"))
        {
            string teamId = s[1];
            return (method, s.Length) switch
            {
                ("POST", 3) => PostChannel(teamId, request.Body),
                ("GET", 3) => ListChannels(teamId, http.Query["$filter"].ToString()),
                ("GET", 4) => _channels.FirstOrDefault(c => SameId(c.TeamId, teamId) && SameId(c.Id, s[3])) is { } channel
                    ? Ok(200, channel.Json.DeepClone())
                    : Error(404, "NotFound", "Channel not found."),
                ("POST", 5) when Is(4, "tabs") => PostTab(teamId, s[3], request.Body),
                ("GET", 5) when Is(4, "messages") => ListChannelMessages(teamId, s[3], http),
                _ => NoRoute(method, path),
            };
        }

        if (Is(0, "subscriptions"))
        {
            return RouteSubscriptions(method, s, request, path);
        }

        return NoRoute(method, path);
    }

    private Answer GetUser(string id, string select)
    {
        var user = _users.TryGetValue(id, out var known)
            ? (JsonObject)known.DeepClone()
            : new JsonObject { ["id"] = id, ["displayName"] = $"User {id}", ["mail"] = $"{id}@contoso.test", ["userPrincipalName"] = $"{id}@contoso.test" };
        if (!string.IsNullOrWhiteSpace(select))
        {
            // Like Graph, $select answers only the properties named.
            var wanted = select.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (string name in user.Select(p => p.Key).ToList())
            {
                if (!wanted.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    user.Remove(name);
                }
            }
        }

        user["@odata.context"] = $"{BaseUrl}/$metadata#users/$entity";
        return Ok(200, user);
    }

    private Answer GetSchedule(string body)
    {
        // The Graph SDK sends this action's parameters in PascalCase ("Schedules", "StartTime": its metadata spells
        // them so) while the docs use camelCase; Graph accepts both, so the fake reads them ignoring case.
        if (ParseObject(body, ignoreCase: true) is not { } request
            || request["schedules"] is not JsonArray emails
            || ReadDateTime(request["startTime"]) is not { } start
            || ReadDateTime(request["endTime"]) is not { } end)
        {
            return Error(400, "ErrorInvalidRequest", "getSchedule needs schedules, startTime and endTime.");
        }

        int interval = request["availabilityViewInterval"]?.GetValue<int>() ?? 30;
        if (interval is < 5 or > 1440 || end <= start)
        {
            return Error(400, "ErrorInvalidParameter", "availabilityViewInterval must be 5 to 1440 and endTime after startTime.");
        }

        var value = new JsonArray();
        foreach (string email in emails.Select(e => e?.GetValue<string>() ?? string.Empty))
        {
            var schedule = _schedules.TryGetValue(email, out var configured) ? configured : new FakeSchedule();
            if (schedule.Error is not null)
            {
                value.Add(new JsonObject
                {
                    ["scheduleId"] = email,
                    ["availabilityView"] = string.Empty,
                    ["error"] = new JsonObject { ["message"] = schedule.Error, ["responseCode"] = "ErrorMailRecipientNotFound" },
                });
                continue;
            }

            var items = schedule.Items.Where(i => i.Start < end && i.End > start).OrderBy(i => i.Start).ToList();
            var entry = new JsonObject
            {
                ["scheduleId"] = email,
                ["availabilityView"] = AvailabilityView(items, start, end, TimeSpan.FromMinutes(interval)),
                ["scheduleItems"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
                {
                    ["isPrivate"] = false,
                    ["status"] = i.Status,
                    ["subject"] = i.Subject ?? string.Empty,
                    ["location"] = string.Empty,
                    ["start"] = DateTimeTimeZone(i.Start),
                    ["end"] = DateTimeTimeZone(i.End),
                })]),
            };
            if (schedule.WorkingHours is { } hours)
            {
                entry["workingHours"] = new JsonObject
                {
                    ["daysOfWeek"] = new JsonArray([.. hours.Days.Select(d => (JsonNode)JsonValue.Create(d.ToString().ToLowerInvariant()))]),
                    ["startTime"] = hours.Start.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                    ["endTime"] = hours.End.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                    ["timeZone"] = new JsonObject { ["name"] = hours.TimeZoneName },
                };
            }

            value.Add(entry);
        }

        return Ok(200, new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#Collection(microsoft.graph.scheduleInformation)", ["value"] = value });
    }

    /// <summary>One digit per interval: 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere (Graph scheduleInformation).</summary>
    private static string AvailabilityView(List<FakeScheduleItem> items, DateTimeOffset start, DateTimeOffset end, TimeSpan interval)
    {
        var view = new StringBuilder();
        for (var from = start; from < end; from += interval)
        {
            var to = from + interval;
            var codes = items.Where(i => i.Start < to && i.End > from).Select(i => i.Status.ToLowerInvariant() switch
            {
                "tentative" => 1,
                "busy" => 2,
                "oof" => 3,
                "workingelsewhere" => 4,
                _ => 0,
            });

            // The strongest status wins: out of office over busy over working elsewhere over tentative.
            int code = codes.OrderByDescending(c => c switch { 3 => 4, 2 => 3, 4 => 2, 1 => 1, _ => 0 }).FirstOrDefault();
            view.Append(code.ToString(CultureInfo.InvariantCulture));
        }

        return view.ToString();
    }

    private Answer PostEvent(string userId, string body)
    {
        if (ParseObject(body) is not { } posted)
        {
            return Error(400, "ErrorInvalidRequest", "The event body must be a JSON object.");
        }

        // Graph event resource, transactionId: a POST that repeats one returns the event already made.
        if (posted["transactionId"]?.GetValue<string>() is { Length: > 0 } transactionId
            && _events.FirstOrDefault(e => SameId(e.UserId, userId) && e.Json["transactionId"]?.GetValue<string>() == transactionId) is { } existing)
        {
            return Ok(201, existing.Json.DeepClone());
        }

        string id = "AAMkAG" + Guid.NewGuid().ToString("N");
        string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        posted["id"] = id;
        posted["createdDateTime"] = now;
        posted["lastModifiedDateTime"] = now;
        posted["iCalUId"] = "040000008200E00074C5B7101A82E008" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        posted["webLink"] = $"https://outlook.office365.com/owa/?itemid={Uri.EscapeDataString(id)}&exvsurl=1&path=/calendar/item";
        if (posted["isOnlineMeeting"]?.GetValue<bool>() == true)
        {
            posted["onlineMeeting"] = new JsonObject { ["joinUrl"] = $"https://teams.microsoft.com/l/meetup-join/{Uri.EscapeDataString(id)}" };
        }

        _events.Add(new FakeGraphEvent(userId, id, posted));
        return Ok(201, posted.DeepClone());
    }

    private Answer PatchEvent(string userId, string eventId, string body)
    {
        if (FindEvent(userId, eventId) is not { } stored)
        {
            return EventNotFound();
        }

        if (ParseObject(body) is not { } changes)
        {
            return Error(400, "ErrorInvalidRequest", "The event body must be a JSON object.");
        }

        foreach (var (name, value) in changes.ToList())
        {
            stored.Json[name] = value?.DeepClone();
        }

        stored.Json["lastModifiedDateTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return Ok(200, stored.Json.DeepClone());
    }

    private FakeGraphEvent? FindEvent(string userId, string eventId) =>
        _events.FirstOrDefault(e => SameId(e.UserId, userId) && string.Equals(e.Id, eventId, StringComparison.Ordinal));

    private static Answer EventNotFound() => Error(404, "ErrorItemNotFound", "The specified object was not found in the store.");

    private Answer PostChannel(string teamId, string body)
    {
        if (ParseObject(body) is not { } posted || posted["displayName"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return Error(400, "BadRequest", "A channel needs a displayName.");
        }

        if (_channels.Any(c => SameId(c.TeamId, teamId) && string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "NameAlreadyExists", "Channel name already existed, please use other name.");
        }

        var channel = CreateChannel(
            teamId, name, posted["description"]?.GetValue<string>() ?? string.Empty, posted["membershipType"]?.GetValue<string>() ?? "standard");
        return Ok(201, channel.Json.DeepClone());
    }

    private FakeGraphChannel CreateChannel(string teamId, string displayName, string description, string membershipType)
    {
        string id = $"19:{Guid.NewGuid():N}@thread.tacv2";
        var json = new JsonObject
        {
            ["id"] = id,
            ["createdDateTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["displayName"] = displayName,
            ["description"] = description,
            ["membershipType"] = membershipType,
            ["webUrl"] = $"https://teams.microsoft.com/l/channel/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(displayName)}?groupId={Uri.EscapeDataString(teamId)}",
        };
        var channel = new FakeGraphChannel(teamId, id, displayName, json);
        _channels.Add(channel);
        return channel;
    }

    private Answer ListChannels(string teamId, string filter)
    {
        var channels = _channels.Where(c => SameId(c.TeamId, teamId));
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var match = DisplayNameFilter().Match(filter);
            if (!match.Success)
            {
                return Error(400, "BadRequest", $"The fake understands only $filter=displayName eq '…', not \"{filter}\".");
            }

            // OData doubles a single quote inside a string literal.
            string name = match.Groups["name"].Value.Replace("''", "'", StringComparison.Ordinal);
            channels = channels.Where(c => string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase));
        }

        return Ok(200, new JsonObject
        {
            ["@odata.context"] = $"{BaseUrl}/$metadata#teams('{teamId}')/channels",
            ["value"] = new JsonArray([.. channels.Select(c => c.Json.DeepClone())]),
        });
    }

    private Answer PostTab(string teamId, string channelId, string body)
    {
        if (!_channels.Any(c => SameId(c.TeamId, teamId) && SameId(c.Id, channelId)))
        {
            return Error(404, "NotFound", "Channel not found.");
        }

        if (ParseObject(body) is not { } posted || posted["teamsApp@odata.bind"] is null)
        {
            return Error(400, "BadRequest", "A tab needs teamsApp@odata.bind.");
        }

        string id = Guid.NewGuid().ToString();
        posted["id"] = id;
        posted["webUrl"] = $"https://teams.microsoft.com/l/entity/{id}";
        _tabs.Add(new FakeGraphTab(teamId, channelId, id, posted));
        return Ok(201, posted.DeepClone());
    }

    private static Answer NoRoute(string method, string path) =>
        Error(404, "UnknownRoute", $"The fake Graph server has no route for {method} {path}.");

    private static Answer Ok(int status, JsonNode body) => new(status, body, []);

    /// <summary>A Graph error answer (Graph error responses: {"error":{"code","message","innerError"}}).</summary>
    private static Answer Error(int status, string code, string message) => new(
        status,
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = Guid.NewGuid().ToString(),
                },
            },
        },
        []);

    private static (string Code, string Message) DefaultError(int status) => status switch
    {
        400 => ("BadRequest", "The request is invalid."),
        401 => ("InvalidAuthenticationToken", "Access token is empty."),
        403 => ("ErrorAccessDenied", "Access is denied. Check credentials and try again."),
        404 => ("ErrorItemNotFound", "The specified object was not found in the store."),
        408 => ("RequestTimeout", "The request timed out."),
        409 => ("Conflict", "The request conflicts with the current state."),
        429 => ("ApplicationThrottled", "Application is over its MailboxConcurrency limit."),
        500 => ("InternalServerError", "An internal server error occurred."),
        502 => ("BadGateway", "Bad gateway."),
        503 => ("ServiceNotAvailable", "The service is temporarily unavailable."),
        504 => ("GatewayTimeout", "The gateway timed out."),
        _ => ("UnknownError", $"Status {status}."),
    };

    private static JsonObject? ParseObject(string body, bool ignoreCase = false)
    {
        try
        {
            return JsonNode.Parse(body, new JsonNodeOptions { PropertyNameCaseInsensitive = ignoreCase }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A Graph dateTimeTimeZone ({dateTime, timeZone}) as an instant.</summary>
    private static DateTimeOffset? ReadDateTime(JsonNode? node)
    {
        if (node?["dateTime"]?.GetValue<string>() is not { } text
            || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var zone = TimeZoneInfo.Utc;
        if (node["timeZone"]?.GetValue<string>() is { Length: > 0 } zoneId)
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            }
            catch (TimeZoneNotFoundException)
            {
                return null;
            }
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static JsonObject DateTimeTimeZone(DateTimeOffset instant) => new()
    {
        ["dateTime"] = instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        ["timeZone"] = "UTC",
    };

    private static bool SameId(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s*displayName\s+eq\s+'(?<name>(?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DisplayNameFilter();

    private sealed record Failure(int Status, string Code, string Message, TimeSpan? RetryAfter, IReadOnlyDictionary<string, string>? Headers);

    private sealed record Delay(TimeSpan Duration, bool ApplyFirst);

    private sealed record Fault(string Method, string PathContains, int Times, Failure? Failure, Delay? Delay);

    private sealed record Answer(int Status, JsonNode? Body, Dictionary<string, string> Headers);
}
