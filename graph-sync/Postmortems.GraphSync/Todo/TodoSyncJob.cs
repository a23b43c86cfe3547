using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postmortems.Core.Storage;

namespace Postmortems.GraphSync.Todo;

/// <summary>
/// Every Graph:TodoSync:ReconcileMinutes, in every app instance: asks for each owner list to be read (tasks/delta) and
/// for its subscription to be made or renewed when it expires within Graph:TodoSync:RenewWithinHours. The requests
/// are coalesced outbox items, so several instances running it at once still read each list once.
/// </summary>
public sealed partial class TodoSyncJob(TodoSync sync, TodoSyncStore store, StorageReadiness readiness, TimeProvider time, ILogger<TodoSyncJob> logger) : BackgroundService
{
    /// <summary>One round; returns how many lists it asked for. Tests call it directly.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!sync.IsOn)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var lists = await store.AllListsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var list in lists)
        {
            await sync.RequestPullAsync(list.TenantId, list.OwnerId, cancellationToken).ConfigureAwait(false);
            if (list.SubscriptionId is null || list.SubscriptionExpiresAt is not { } expires || expires <= now + sync.Options.RenewWithin)
            {
                await sync.RequestSubscribeAsync(list.TenantId, list.OwnerId, SubscriptionMode.Ensure, cancellationToken).ConfigureAwait(false);
            }
        }

        return lists.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sync.IsOn || !sync.Options.BackgroundJob)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(sync.Options.ReconcileEvery, time, stoppingToken).ConfigureAwait(false);
                if (readiness.TablesCreated)
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is StorageUnavailableException or Azure.RequestFailedException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "To Do reconciliation: storage unavailable, trying again next round")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
