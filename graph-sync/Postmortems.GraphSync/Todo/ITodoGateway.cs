namespace Postmortems.GraphSync.Todo;

/// <summary>A To Do task as the sync needs it.</summary>
/// <param name="Removed">True when delta reported the task deleted.</param>
public sealed record TodoTaskState(string Id, string? Title, bool Completed, string? ETag, string? ExternalId, bool Removed = false);

/// <summary>What the sync writes to a task: title, due date (a day, in UTC), done or not, and the link back.</summary>
public sealed record TodoTaskContent(string Title, DateOnly? DueDate, bool Completed, string Body, Uri? PostmortemLink, string PostmortemTitle, string ExternalId);

/// <summary>One page set of tasks/delta: the changes and the link to ask for the next changes with.</summary>
public sealed record TodoDelta(IReadOnlyList<TodoTaskState> Tasks, string? DeltaLink);

public sealed record TodoSubscription(string Id, DateTimeOffset ExpiresAt);

/// <summary>Microsoft To Do through Graph (application permission Tasks.ReadWrite.All). Every failure is a ExternalCallException.</summary>
public interface ITodoGateway
{
    Task<string?> FindListAsync(string userId, string displayName, CancellationToken cancellationToken);

    Task<string> CreateListAsync(string userId, string displayName, CancellationToken cancellationToken);

    /// <summary>Null when the task is not there (deleted in To Do).</summary>
    Task<TodoTaskState?> GetTaskAsync(string userId, string listId, string taskId, CancellationToken cancellationToken);

    /// <summary>The task whose linked resource carries this external id (a create whose answer was lost), or null.</summary>
    Task<TodoTaskState?> FindTaskByExternalIdAsync(string userId, string listId, string externalId, CancellationToken cancellationToken);

    Task<TodoTaskState> CreateTaskAsync(string userId, string listId, TodoTaskContent content, CancellationToken cancellationToken);

    Task<TodoTaskState> UpdateTaskAsync(string userId, string listId, string taskId, TodoTaskContent content, CancellationToken cancellationToken);

    /// <summary>Deletes the task; one already gone counts as deleted.</summary>
    Task DeleteTaskAsync(string userId, string listId, string taskId, CancellationToken cancellationToken);

    /// <summary>Changes since <paramref name="deltaLink"/> (all tasks when null), every page followed.</summary>
    Task<TodoDelta> DeltaAsync(string userId, string listId, string? deltaLink, CancellationToken cancellationToken);

    Task<TodoSubscription> CreateSubscriptionAsync(string resource, Uri notificationUrl, Uri lifecycleUrl, string clientState, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<TodoSubscription> RenewSubscriptionAsync(string subscriptionId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
