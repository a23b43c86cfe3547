using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Postmortems.Core.Storage;

/// <summary>
/// Creates the tables at start-up. If storage is not reachable yet, the app still starts (health reports it) and
/// creation is retried with backoff until it succeeds, so an app that starts before its storage recovers by itself.
/// </summary>
public sealed partial class TableInitializer(PostmortemTables tables, StorageReadiness readiness, ILogger<TableInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Creates every table once; used by the background loop and by tests that need tables before the first request.</summary>
    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.All)
        {
            await StorageCalls.Run(() => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        readiness.MarkTablesCreated();
        LogTablesReady(logger, tables.All.Count());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CreateTablesAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnreachable(logger, ex, delay.TotalSeconds);
            }

            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {TableCount} tables exist")]
    private static partial void LogTablesReady(ILogger logger, int tableCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable; creating tables again in {DelaySeconds} s")]
    private static partial void LogStorageUnreachable(ILogger logger, Exception exception, double delaySeconds);
}
