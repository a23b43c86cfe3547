using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Postmortems.Testing;

/// <summary>A To Do list the fake holds for a user.</summary>
public sealed record FakeTodoList(string UserId, string Id, string DisplayName);

/// <summary>A To Do task: the JSON it answers with (with @odata.etag); <see cref="Deleted"/> ones remain for delta.</summary>
public sealed record FakeTodoTask(string UserId, string ListId, string Id, JsonObject Json, bool Deleted = false)
{
    public string Title => Json["title"]?.GetValue<string>() ?? string.Empty;

    public string Status => Json["status"]?.GetValue<string>() ?? "notStarted";

    /// <summary>dueDateTime.dateTime, e.g. "2026-12-03T00:00:00".</summary>
    public string? Due => Json["dueDateTime"]?["dateTime"]?.GetValue<string>();
}

/// <summary>A change-notification subscription as posted (and renewed).</summary>
public sealed record FakeGraphSubscription(string Id, string Resource, string ChangeType, string NotificationUrl, string? LifecycleNotificationUrl, string? ClientState, DateTimeOffset ExpiresAt);

/// <summary>
/// Microsoft To Do and subscriptions in the fake:
/// <list type="bullet">
/// <item><c>GET/POST /v1.0/users/{id}/todo/lists</c> (GET honours <c>$filter=displayName eq '…'</c>).</item>
/// <item><c>GET/POST /v1.0/users/{id}/todo/lists/{listId}/tasks</c>, <c>GET/PATCH/DELETE …/tasks/{taskId}</c> (404 for
/// an unknown list or task); tasks always carry their linkedResources and an <c>@odata.etag</c> that changes on every
/// write.</item>
/// <item><c>GET …/tasks/delta</c>: every change after the <c>$deltatoken</c> (all tasks without one), <see cref="TodoDeltaPageSize"/>
/// per page with <c>@odata.nextLink</c>, the last page with <c>@odata.deltaLink</c>; deleted tasks as <c>@removed</c>.</item>
/// <item><c>POST /v1.0/subscriptions</c> (201; 400 when expirationDateTime is past or beyond 4,230 minutes from
/// <see cref="Clock"/>, or notificationUrl is not https), <c>PATCH</c> (renew, same checks; 404 for an unknown or
/// expired one), <c>GET</c> and <c>DELETE /v1.0/subscriptions/{id}</c>.</item>
/// </list>
/// </summary>
public sealed partial class FakeGraphServer
{
    /// <summary>Graph's maximum lifetime of a todoTask subscription.</summary>
    public static readonly TimeSpan TodoSubscriptionMaxLifetime = TimeSpan.FromMinutes(4230);

    private readonly List<FakeTodoList> _todoLists = [];
    private readonly List<(FakeTodoTask Task, long Change)> _todoTasks = [];
    private readonly List<FakeGraphSubscription> _subscriptions = [];
    private long _todoChange;

    /// <summary>The clock subscription expirations are checked against (a test's fake clock).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Tasks per tasks/delta page.</summary>
    public int TodoDeltaPageSize { get; set; } = 50;

    public IReadOnlyList<FakeTodoList> TodoLists
    {
        get
        {
            lock (_gate)
            {
                return [.. _todoLists];
            }
        }
    }

    /// <summary>The tasks not deleted (copies).</summary>
    public IReadOnlyList<FakeTodoTask> TodoTasks
    {
        get
        {
            lock (_gate)
            {
                return [.. _todoTasks.Where(t => !t.Task.Deleted).Select(t => t.Task with { Json = (JsonObject)t.Task.Json.DeepClone() })];
            }
        }
    }

    public IReadOnlyList<FakeGraphSubscription> Subscriptions
    {
        get
        {
            lock (_gate)
            {
                return [.. _subscriptions];
            }
        }
    }

    /// <summary>Changes a task as a person would in To Do or Outlook (e.g. status "completed"); returns the new JSON.</summary>
    public JsonObject ChangeTask(string taskId, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            int index = _todoTasks.FindIndex(t => !t.Task.Deleted && t.Task.Id == taskId);
            if (index < 0)
            {
                throw new InvalidOperationException($"No task {taskId}.");
            }

            var task = _todoTasks[index].Task;
            change(task.Json);
            Touch(task.Json);
            _todoTasks[index] = (task, ++_todoChange);
            return (JsonObject)task.Json.DeepClone();
        }
    }

    /// <summary>Completes a task as its owner would in To Do.</summary>
    public JsonObject CompleteTask(string taskId) => ChangeTask(taskId, t =>
    {
        t["status"] = "completed";
        t["completedDateTime"] = DateTimeTimeZone(Clock.GetUtcNow());
    });

    /// <summary>
    /// POSTs a change notification for a task to <paramref name="target"/> the way Graph does (one item in "value"),
    /// with the subscription's clientState unless <paramref name="clientState"/> is given. Returns the answer.
    /// </summary>
    public async Task<HttpResponseMessage> SendNotificationAsync(HttpClient client, Uri target, FakeGraphSubscription subscription, string taskId, string changeType = "updated", string? clientState = null, string? tenantId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(subscription);
        var notification = new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = subscription.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
            ["clientState"] = clientState ?? subscription.ClientState,
            ["changeType"] = changeType,
            ["resource"] = $"{subscription.Resource.TrimStart('/')}/{taskId}",
            ["tenantId"] = tenantId,
            ["resourceData"] = new JsonObject
            {
                ["@odata.type"] = "#Microsoft.Graph.todoTask",
                ["@odata.id"] = $"{subscription.Resource.TrimStart('/')}/{taskId}",
                ["id"] = taskId,
            },
        };
        return await client.PostAsJsonAsync(target, new JsonObject { ["value"] = new JsonArray(notification) }).ConfigureAwait(false);
    }

    /// <summary>POSTs a lifecycle notification ("reauthorizationRequired", "subscriptionRemoved", "missed") like Graph does.</summary>
    public async Task<HttpResponseMessage> SendLifecycleNotificationAsync(HttpClient client, Uri target, FakeGraphSubscription subscription, string lifecycleEvent, string? clientState = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(subscription);
        var notification = new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = subscription.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
            ["clientState"] = clientState ?? subscription.ClientState,
            ["lifecycleEvent"] = lifecycleEvent,
            ["resource"] = subscription.Resource,
        };
        return await client.PostAsJsonAsync(target, new JsonObject { ["value"] = new JsonArray(notification) }).ConfigureAwait(false);
    }

    private Answer RouteTodo(string userId, string method, string[] s, HttpRequest http, RecordedRequest request)
    {
        // s: users/{id}/todo/lists[/{listId}[/tasks[/{taskId}|delta]]]
        if (s.Length < 4 || !string.Equals(s[3], "lists", StringComparison.OrdinalIgnoreCase))
        {
            return NoRoute(method, http.Path);
        }

        if (s.Length == 4)
        {
            return method switch
            {
                "GET" => ListTodoLists(userId, http.Query["$filter"].ToString()),
                "POST" => PostTodoList(userId, request.Body),
                _ => NoRoute(method, http.Path),
            };
        }

        string listId = Uri.UnescapeDataString(s[4]);
        if (!_todoLists.Any(l => SameId(l.UserId, userId) && l.Id == listId))
        {
            return Error(404, "ErrorItemNotFound", "The list was not found.");
        }

        if (s.Length == 6 && string.Equals(s[5], "tasks", StringComparison.OrdinalIgnoreCase))
        {
            return method switch
            {
                "GET" => Ok(200, new JsonObject { ["value"] = new JsonArray([.. LiveTasks(userId, listId).Select(t => t.Json.DeepClone())]) }),
                "POST" => PostTodoTask(userId, listId, request.Body),
                _ => NoRoute(method, http.Path),
            };
        }

        // The Graph SDK calls the function "delta()"; the docs write "delta".
        if (s.Length == 7 && (string.Equals(s[6], "delta", StringComparison.OrdinalIgnoreCase) || string.Equals(s[6], "delta()", StringComparison.OrdinalIgnoreCase)) && method == "GET")
        {
            return TodoDelta(userId, listId, http.Query["$deltatoken"].ToString(), http.Query["$skiptoken"].ToString());
        }

        if (s.Length == 7)
        {
            // Task ids may hold '/' (sent as %2F, which the request path keeps encoded).
            string taskId = Uri.UnescapeDataString(s[6]);
            int index = _todoTasks.FindIndex(t => !t.Task.Deleted && SameId(t.Task.UserId, userId) && t.Task.ListId == listId && t.Task.Id == taskId);
            if (index < 0)
            {
                return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.");
            }

            var task = _todoTasks[index].Task;
            switch (method)
            {
                case "GET":
                    return Ok(200, task.Json.DeepClone());
                case "PATCH":
                    if (ParseObject(request.Body) is not { } changes)
                    {
                        return Error(400, "ErrorInvalidRequest", "The task body must be a JSON object.");
                    }

                    foreach (var (name, value) in changes.ToList())
                    {
                        task.Json[name] = value?.DeepClone();
                    }

                    Touch(task.Json);
                    _todoTasks[index] = (task, ++_todoChange);
                    return Ok(200, task.Json.DeepClone());
                case "DELETE":
                    _todoTasks[index] = (task with { Deleted = true }, ++_todoChange);
                    return new Answer(204, null, []);
                default:
                    return NoRoute(method, http.Path);
            }
        }

        return NoRoute(method, http.Path);
    }

    private IEnumerable<FakeTodoTask> LiveTasks(string userId, string listId) =>
        _todoTasks.Where(t => !t.Task.Deleted && SameId(t.Task.UserId, userId) && t.Task.ListId == listId).Select(t => t.Task);

    private Answer ListTodoLists(string userId, string filter)
    {
        var lists = _todoLists.Where(l => SameId(l.UserId, userId));
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var match = DisplayNameFilter().Match(filter);
            if (!match.Success)
            {
                return Error(400, "BadRequest", $"The fake understands only $filter=displayName eq '…', not \"{filter}\".");
            }

            string name = match.Groups["name"].Value.Replace("''", "'", StringComparison.Ordinal);
            lists = lists.Where(l => string.Equals(l.DisplayName, name, StringComparison.OrdinalIgnoreCase));
        }

        return Ok(200, new JsonObject
        {
            ["value"] = new JsonArray([.. lists.Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["displayName"] = l.DisplayName, ["wellknownListName"] = "none", ["isOwner"] = true })]),
        });
    }

    private Answer PostTodoList(string userId, string body)
    {
        if (ParseObject(body) is not { } posted || posted["displayName"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return Error(400, "BadRequest", "A list needs a displayName.");
        }

        var list = new FakeTodoList(userId, "AQMkAD" + Guid.NewGuid().ToString("N"), name);
        _todoLists.Add(list);
        return Ok(201, new JsonObject { ["id"] = list.Id, ["displayName"] = name, ["wellknownListName"] = "none", ["isOwner"] = true });
    }

    private Answer PostTodoTask(string userId, string listId, string body)
    {
        if (ParseObject(body) is not { } posted || posted["title"]?.GetValue<string>() is not { Length: > 0 })
        {
            return Error(400, "BadRequest", "A task needs a title.");
        }

        // Ids like To Do's: base64 with '/' and '+' in them, so callers must not use them as storage keys as they are.
        string id = "AAMkAG/" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=') + "+t=";
        posted["id"] = id;
        posted["status"] ??= "notStarted";
        posted["importance"] ??= "normal";
        posted["createdDateTime"] = Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        if (posted["linkedResources"] is JsonArray links)
        {
            foreach (var link in links.OfType<JsonObject>())
            {
                link["id"] = Guid.NewGuid().ToString();
            }
        }
        else
        {
            posted["linkedResources"] = new JsonArray();
        }

        Touch(posted);
        _todoTasks.Add((new FakeTodoTask(userId, listId, id, posted), ++_todoChange));
        return Ok(201, posted.DeepClone());
    }

    private Answer TodoDelta(string userId, string listId, string deltaToken, string skipToken)
    {
        long after = 0;
        int offset = 0;
        if (!string.IsNullOrEmpty(skipToken))
        {
            var parts = skipToken.Split(':');
            after = long.Parse(parts[0], CultureInfo.InvariantCulture);
            offset = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        else if (!string.IsNullOrEmpty(deltaToken))
        {
            after = long.Parse(deltaToken, CultureInfo.InvariantCulture);
        }

        var changes = _todoTasks
            .Where(t => SameId(t.Task.UserId, userId) && t.Task.ListId == listId && t.Change > after && (after > 0 || !t.Task.Deleted))
            .OrderBy(t => t.Change)
            .ToList();
        var page = changes.Skip(offset).Take(TodoDeltaPageSize).ToList();
        string root = $"{BaseUrl}/users/{Uri.EscapeDataString(userId)}/todo/lists/{Uri.EscapeDataString(listId)}/tasks/delta";
        var answer = new JsonObject
        {
            ["value"] = new JsonArray([.. page.Select(t => t.Task.Deleted
                ? new JsonObject { ["id"] = t.Task.Id, ["@removed"] = new JsonObject { ["reason"] = "deleted" } }
                : t.Task.Json.DeepClone())]),
        };
        if (offset + page.Count < changes.Count)
        {
            answer["@odata.nextLink"] = $"{root}?$skiptoken={after}:{offset + page.Count}";
        }
        else
        {
            answer["@odata.deltaLink"] = $"{root}?$deltatoken={_todoChange}";
        }

        return Ok(200, answer);
    }

    private Answer RouteSubscriptions(string method, string[] s, RecordedRequest request, string path)
    {
        var now = Clock.GetUtcNow();
        _subscriptions.RemoveAll(x => x.ExpiresAt <= now);
        if (s.Length == 1 && method == "POST")
        {
            if (ParseObject(request.Body) is not { } posted
                || posted["resource"]?.GetValue<string>() is not { Length: > 0 } resource
                || posted["notificationUrl"]?.GetValue<string>() is not { Length: > 0 } url
                || posted["changeType"]?.GetValue<string>() is not { Length: > 0 } changeType)
            {
                return Error(400, "InvalidRequest", "A subscription needs resource, changeType and notificationUrl.");
            }

            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                return Error(400, "InvalidRequest", "The notificationUrl must use https.");
            }

            if (ExpirationError(posted, now) is { } invalid)
            {
                return invalid;
            }

            var subscription = new FakeGraphSubscription(
                Guid.NewGuid().ToString(), resource, changeType, url, posted["lifecycleNotificationUrl"]?.GetValue<string>(), posted["clientState"]?.GetValue<string>(),
                DateTimeOffset.Parse(posted["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
            _subscriptions.Add(subscription);
            return Ok(201, SubscriptionJson(subscription));
        }

        if (s.Length == 2)
        {
            int index = _subscriptions.FindIndex(x => x.Id == s[1]);
            if (index < 0)
            {
                return Error(404, "ResourceNotFound", "The object was not found.");
            }

            switch (method)
            {
                case "GET":
                    return Ok(200, SubscriptionJson(_subscriptions[index]));
                case "DELETE":
                    _subscriptions.RemoveAt(index);
                    return new Answer(204, null, []);
                case "PATCH":
                    if (ParseObject(request.Body) is not { } changes || ExpirationError(changes, now) is { } invalid)
                    {
                        return Error(400, "InvalidRequest", "expirationDateTime must be in the future and within 4230 minutes.");
                    }

                    _subscriptions[index] = _subscriptions[index] with { ExpiresAt = DateTimeOffset.Parse(changes["expirationDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture) };
                    return Ok(200, SubscriptionJson(_subscriptions[index]));
            }
        }

        return NoRoute(method, path);
    }

    private static Answer? ExpirationError(JsonObject posted, DateTimeOffset now)
    {
        if (posted["expirationDateTime"]?.GetValue<string>() is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
        {
            return Error(400, "InvalidRequest", "expirationDateTime is required.");
        }

        if (expires <= now || expires > now + TodoSubscriptionMaxLifetime)
        {
            return Error(400, "InvalidRequest", $"Subscription expiration can only be 4230 minutes in the future; got {text}.");
        }

        return null;
    }

    private static JsonObject SubscriptionJson(FakeGraphSubscription s) => new()
    {
        ["id"] = s.Id,
        ["resource"] = s.Resource,
        ["changeType"] = s.ChangeType,
        ["notificationUrl"] = s.NotificationUrl,
        ["lifecycleNotificationUrl"] = s.LifecycleNotificationUrl,
        ["expirationDateTime"] = s.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
    };

    private void Touch(JsonObject task)
    {
        task["lastModifiedDateTime"] = Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        task["@odata.etag"] = $"W/\"{Guid.NewGuid():N}\"";
    }
}
