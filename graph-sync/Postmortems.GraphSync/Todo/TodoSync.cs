using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.GraphSync.Todo;

/// <summary>
/// Asks the outbox to bring an owner's To Do task in line with the action (<see cref="ActionFollowers.TodoTaskFollower"/>
/// calls it after every action write): one coalesced "todo.sync" item per action, so a burst of edits is one Graph write. Also the
/// entry point for "something changed in To Do" (a notification, a lifecycle event, the reconciliation job): a
/// coalesced "todo.pull" per owner list, and "todo.subscribe" to make or renew the list's subscription.
/// </summary>
public sealed partial class TodoSync(
    OutboxStore outbox,
    OutboxSignal signal,
    IOptions<GraphOptions> graph,
    IOptions<TodoSyncOptions> options,
    IOptions<PostmortemOptions> postmortems,
    IOptions<OutboxOptions> outboxOptions,
    TimeProvider time,
    ILogger<TodoSync> logger)
{
    public const string SyncOperation = "todo.sync";
    public const string PullOperation = "todo.pull";
    public const string SubscribeOperation = "todo.subscribe";

    public const string NotificationsPath = "/api/graph/notifications";
    public const string LifecyclePath = "/api/graph/lifecycle";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>On when Graph is configured and Graph:TodoSync:Enabled is not false.</summary>
    public bool IsOn => graph.Value.IsConfigured && options.Value.Enabled;

    /// <summary>
    /// Subscriptions need a public https address for Graph to call; without Postmortems:PublicBaseUrl only the
    /// reconciliation job brings To Do's changes in.
    /// </summary>
    public bool Subscribes => IsOn && postmortems.Value.PublicBaseUrl is { Scheme: "https" };

    public Uri? NotificationUrl => Subscribes ? new Uri(postmortems.Value.PublicBaseUrl!, NotificationsPath.TrimStart('/')) : null;

    public Uri? LifecycleUrl => Subscribes ? new Uri(postmortems.Value.PublicBaseUrl!, LifecyclePath.TrimStart('/')) : null;

    public TodoSyncOptions Options => options.Value;

    /// <summary>Asks for the action's task to be brought in line with the action (coalesced per action).</summary>
    public Task RequestSyncAsync(string tenantId, string postmortemId, string actionId, CancellationToken cancellationToken) =>
        RequestSyncAsync(tenantId, postmortemId, actionId, outboxOptions.Value.CoalesceWindow, cancellationToken);

    /// <summary>Asks for the action's task to be brought in line with the action after <paramref name="delay"/> (coalesced per action).</summary>
    public async Task RequestSyncAsync(string tenantId, string postmortemId, string actionId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await outbox.RequestAsync(
            new OutboxItem
            {
                Id = Ids.DerivedId($"{SyncOperation}|{tenantId}|{postmortemId}|{actionId}"),
                Operation = SyncOperation,
                TenantId = tenantId,
                PostmortemId = postmortemId,
                Payload = JsonSerializer.Serialize(new SyncRequest(actionId), Json),
                NextAttemptAt = now,
                CreatedAt = now,
            },
            delay,
            cancellationToken).ConfigureAwait(false);
        signal.Pulse();
    }

    /// <summary>Asks for the owner's list to be read for changes made in To Do (coalesced per list).</summary>
    public async Task RequestPullAsync(string tenantId, string ownerId, CancellationToken cancellationToken)
    {
        await RequestListWorkAsync(PullOperation, tenantId, ownerId, new ListRequest(ownerId, SubscriptionMode.Ensure), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for the owner's subscription to be made when missing or renewed when it expires soon (or now, or made afresh: <paramref name="mode"/>).</summary>
    public async Task RequestSubscribeAsync(string tenantId, string ownerId, SubscriptionMode mode, CancellationToken cancellationToken)
    {
        if (!Subscribes)
        {
            return;
        }

        await RequestListWorkAsync(SubscribeOperation, tenantId, ownerId, new ListRequest(ownerId, mode), cancellationToken).ConfigureAwait(false);
    }

    private async Task RequestListWorkAsync(string operation, string tenantId, string ownerId, ListRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await outbox.RequestAsync(
            new OutboxItem
            {
                Id = Ids.DerivedId($"{operation}|{tenantId}|{ownerId}"),
                Operation = operation,
                TenantId = tenantId,
                PostmortemId = "-",
                Payload = JsonSerializer.Serialize(request, Json),
                NextAttemptAt = now,
                CreatedAt = now,
            },
            TimeSpan.Zero,
            cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        LogRequested(logger, operation, ownerId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "To Do sync: {Operation} asked for owner {OwnerId}")]
    private static partial void LogRequested(ILogger logger, string operation, string ownerId);

    internal sealed record SyncRequest(string ActionId);

    internal sealed record ListRequest(string OwnerId, SubscriptionMode Mode);
}

/// <summary>What "todo.subscribe" does with an owner list's subscription.</summary>
public enum SubscriptionMode
{
    /// <summary>Make it when missing or expired; renew it when it expires within Graph:TodoSync:RenewWithinHours.</summary>
    Ensure,

    /// <summary>Renew it now (Graph asked: reauthorizationRequired).</summary>
    Renew,

    /// <summary>Make a new one (Graph removed it: subscriptionRemoved).</summary>
    Recreate,
}
