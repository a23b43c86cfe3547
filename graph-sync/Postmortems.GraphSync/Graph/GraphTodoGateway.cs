using Postmortems.Core.Outbox;
using System.Globalization;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Postmortems.GraphSync.Meetings;
using Postmortems.GraphSync.Todo;
using GraphTaskStatus = Microsoft.Graph.Models.TaskStatus;

namespace Postmortems.GraphSync.Graph;

/// <summary>
/// Microsoft To Do through Microsoft Graph with the application permission Tasks.ReadWrite.All: the owner's list, its
/// tasks, tasks/delta and change-notification subscriptions. Every failure is a <see cref="ExternalCallException"/>.
/// </summary>
public sealed class GraphTodoGateway : ITodoGateway
{
    public const string ApplicationName = "Blameless Postmortems";

    private static readonly GraphCallContext Lists = new(
        "The app isn't allowed to use people's Microsoft To Do. An admin needs to grant Tasks.ReadWrite.All.",
        "That person's Microsoft To Do wasn't found. They need an Exchange Online mailbox.");

    private static readonly GraphCallContext Tasks = new(
        "The app isn't allowed to use people's Microsoft To Do. An admin needs to grant Tasks.ReadWrite.All.",
        "The task or its list is no longer in Microsoft To Do (it may have been deleted).");

    private static readonly GraphCallContext Subscriptions = new(
        "The app isn't allowed to subscribe to To Do changes. An admin needs to grant Tasks.ReadWrite.All.",
        "The subscription no longer exists in Microsoft Graph (it expired or was removed).");

    private readonly GraphServiceClient _graph;
    private readonly TimeProvider _time;

    public GraphTodoGateway(GraphServiceClient graph, TimeProvider? time = null)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _time = time ?? TimeProvider.System;
    }

    public async Task<string?> FindListAsync(string userId, string displayName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        string filter = $"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'";
        var page = await GraphFailures.CallAsync(
            () => _graph.Users[userId].Todo.Lists.GetAsync(r => r.QueryParameters.Filter = filter, cancellationToken),
            Lists,
            _time,
            cancellationToken).ConfigureAwait(false);
        return page?.Value?.FirstOrDefault(l => string.Equals(l.DisplayName, displayName, StringComparison.OrdinalIgnoreCase))?.Id;
    }

    public async Task<string> CreateListAsync(string userId, string displayName, CancellationToken cancellationToken)
    {
        var created = await GraphFailures.CallAsync(
            () => _graph.Users[userId].Todo.Lists.PostAsync(new TodoTaskList { DisplayName = displayName }, cancellationToken: cancellationToken),
            Lists,
            _time,
            cancellationToken).ConfigureAwait(false);
        return created?.Id ?? throw new ExternalCallException("Microsoft Graph answered without the list it made. It will be tried again.", isTransient: true);
    }

    public async Task<TodoTaskState?> GetTaskAsync(string userId, string listId, string taskId, CancellationToken cancellationToken)
    {
        try
        {
            var task = await GraphFailures.CallAsync(
                () => _graph.Users[userId].Todo.Lists[listId].Tasks[taskId].GetAsync(r => r.QueryParameters.Expand = ["linkedResources"], cancellationToken),
                Tasks,
                _time,
                cancellationToken).ConfigureAwait(false);
            return task is null ? null : ToState(task);
        }
        catch (ExternalCallException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<TodoTaskState?> FindTaskByExternalIdAsync(string userId, string listId, string externalId, CancellationToken cancellationToken)
    {
        var page = await GraphFailures.CallAsync(
            () => _graph.Users[userId].Todo.Lists[listId].Tasks.GetAsync(r => r.QueryParameters.Expand = ["linkedResources"], cancellationToken),
            Tasks,
            _time,
            cancellationToken).ConfigureAwait(false);
        while (page is not null)
        {
            if (page.Value?.FirstOrDefault(t => t.LinkedResources?.Any(l => l.ExternalId == externalId) == true) is { } found)
            {
                return ToState(found);
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                return null;
            }

            string next = page.OdataNextLink;
            page = await GraphFailures.CallAsync(
                () => _graph.Users[userId].Todo.Lists[listId].Tasks.WithUrl(next).GetAsync(cancellationToken: cancellationToken),
                Tasks,
                _time,
                cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public async Task<TodoTaskState> CreateTaskAsync(string userId, string listId, TodoTaskContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var task = ToTask(content);
        task.LinkedResources =
        [
            new LinkedResource
            {
                WebUrl = content.PostmortemLink?.ToString(),
                ApplicationName = ApplicationName,
                DisplayName = content.PostmortemTitle,
                ExternalId = content.ExternalId,
            },
        ];
        var created = await GraphFailures.CallAsync(
            () => _graph.Users[userId].Todo.Lists[listId].Tasks.PostAsync(task, cancellationToken: cancellationToken),
            Tasks,
            _time,
            cancellationToken).ConfigureAwait(false);
        return created is null
            ? throw new ExternalCallException("Microsoft Graph answered without the task it made. It will be tried again.", isTransient: true)
            : ToState(created) with { ExternalId = content.ExternalId };
    }

    public async Task<TodoTaskState> UpdateTaskAsync(string userId, string listId, string taskId, TodoTaskContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        // The product owns title, due date and body; linked resources are a navigation property, set only at create.
        var updated = await GraphFailures.CallAsync(
            () => _graph.Users[userId].Todo.Lists[listId].Tasks[taskId].PatchAsync(ToTask(content), cancellationToken: cancellationToken),
            Tasks,
            _time,
            cancellationToken).ConfigureAwait(false);
        return updated is null
            ? throw new ExternalCallException("Microsoft Graph answered without the task it changed. It will be tried again.", isTransient: true)
            : ToState(updated) with { ExternalId = content.ExternalId };
    }

    public async Task DeleteTaskAsync(string userId, string listId, string taskId, CancellationToken cancellationToken)
    {
        try
        {
            await GraphFailures.CallAsync(
                async () =>
                {
                    await _graph.Users[userId].Todo.Lists[listId].Tasks[taskId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    return true;
                },
                Tasks,
                _time,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException ex) when (ex.Status == 404)
        {
            // Already gone: what we wanted.
        }
    }

    public async Task<TodoDelta> DeltaAsync(string userId, string listId, string? deltaLink, CancellationToken cancellationToken)
    {
        var builder = _graph.Users[userId].Todo.Lists[listId].Tasks.Delta;
        var page = await GraphFailures.CallAsync(
            () => (deltaLink is null ? builder : builder.WithUrl(deltaLink)).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken),
            Tasks,
            _time,
            cancellationToken).ConfigureAwait(false);
        var tasks = new List<TodoTaskState>();
        while (page is not null)
        {
            tasks.AddRange((page.Value ?? []).Select(ToState));
            if (!string.IsNullOrEmpty(page.OdataDeltaLink))
            {
                return new TodoDelta(tasks, page.OdataDeltaLink);
            }

            if (string.IsNullOrEmpty(page.OdataNextLink))
            {
                break;
            }

            string next = page.OdataNextLink;
            page = await GraphFailures.CallAsync(
                () => builder.WithUrl(next).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken),
                Tasks,
                _time,
                cancellationToken).ConfigureAwait(false);
        }

        return new TodoDelta(tasks, null);
    }

    public async Task<TodoSubscription> CreateSubscriptionAsync(string resource, Uri notificationUrl, Uri lifecycleUrl, string clientState, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notificationUrl);
        ArgumentNullException.ThrowIfNull(lifecycleUrl);
        var subscription = new Subscription
        {
            ChangeType = "created,updated,deleted",
            NotificationUrl = notificationUrl.ToString(),
            LifecycleNotificationUrl = lifecycleUrl.ToString(),
            Resource = resource,
            ExpirationDateTime = expiresAt,
            ClientState = clientState,
        };
        var created = await GraphFailures.CallAsync(
            () => _graph.Subscriptions.PostAsync(subscription, cancellationToken: cancellationToken),
            Subscriptions,
            _time,
            cancellationToken).ConfigureAwait(false);
        return created?.Id is { } id
            ? new TodoSubscription(id, created.ExpirationDateTime ?? expiresAt)
            : throw new ExternalCallException("Microsoft Graph answered without the subscription it made. It will be tried again.", isTransient: true);
    }

    public async Task<TodoSubscription> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var renewed = await GraphFailures.CallAsync(
            () => _graph.Subscriptions[subscriptionId].PatchAsync(new Subscription { ExpirationDateTime = expiresAt }, cancellationToken: cancellationToken),
            Subscriptions,
            _time,
            cancellationToken).ConfigureAwait(false);
        return new TodoSubscription(subscriptionId, renewed?.ExpirationDateTime ?? expiresAt);
    }

    private static TodoTask ToTask(TodoTaskContent content) => new()
    {
        Title = content.Title,
        Body = new ItemBody { Content = content.Body, ContentType = BodyType.Text },
        DueDateTime = content.DueDate is { } due
            ? new DateTimeTimeZone { DateTime = due.ToDateTime(TimeOnly.MinValue).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), TimeZone = "UTC" }
            : null,
        Status = content.Completed ? GraphTaskStatus.Completed : GraphTaskStatus.NotStarted,
    };

    private static TodoTaskState ToState(TodoTask task) => new(
        task.Id ?? string.Empty,
        task.Title,
        task.Status == GraphTaskStatus.Completed,
        task.AdditionalData?.TryGetValue("@odata.etag", out var etag) == true ? etag?.ToString() : null,
        task.LinkedResources?.Select(l => l.ExternalId).FirstOrDefault(e => !string.IsNullOrEmpty(e)),
        task.AdditionalData?.ContainsKey("@removed") == true);
}
