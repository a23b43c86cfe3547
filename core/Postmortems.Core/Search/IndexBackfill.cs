using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Search;

/// <summary>What one run of the backfill did: pages read, postmortems checked and index rows added or rebuilt.</summary>
public sealed record BackfillRun(int Pages, int Checked, int Refreshed);

/// <summary>
/// Adds to the search index the postmortems stored before it existed (an installed tenant upgrading), and rebuilds rows
/// written by an older version of it (<see cref="IndexRow.SchemaVersion"/>). Runs in every instance after start-up: it
/// pages through the Postmortems table (<see cref="IndexBackfillOptions.PageSize"/> rows a page, only their keys), finds
/// with one query per tenant on the page which of them have no current index row, and rebuilds those, one at a time,
/// through <see cref="PostmortemIndex.RefreshAsync"/> (If-Match, or add only if absent: safe beside live writes and
/// another instance). After each page it records where it got (<see cref="IndexBackfillProgress"/>), so a restart goes
/// on from there and, once done, it does nothing. It pauses between pages, and after a failure (a storage outage) waits
/// and tries again with a growing delay; it never stops the host.
/// </summary>
public sealed partial class IndexBackfill(
    PostmortemTables tables,
    PostmortemIndex index,
    IndexBackfillProgress progress,
    StorageReadiness readiness,
    IOptions<IndexBackfillOptions> options,
    TimeProvider time,
    ILogger<IndexBackfill> logger) : BackgroundService
{
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogOff(logger);
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(settings.StartDelaySeconds), time, stoppingToken).ConfigureAwait(false);
        var delay = TimeSpan.FromSeconds(settings.FirstRetrySeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.TablesCreated)
                {
                    await RunAsync(int.MaxValue, stoppingToken).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (usually storage being down), the host keeps serving; the next try goes on from the last page recorded.
                LogRetrying(logger, ex, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, settings.MaxRetrySeconds));
                continue;
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.FirstRetrySeconds), time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Goes on from the recorded progress until done, or for at most <paramref name="maxPages"/> pages. Tests call it directly.</summary>
    public async Task<BackfillRun> RunAsync(int maxPages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var current = await progress.ReadAsync(cancellationToken).ConfigureAwait(false);
        var run = new BackfillRun(0, 0, 0);
        while (!current.Done && run.Pages < maxPages)
        {
            if (run.Pages > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.PauseBetweenPagesSeconds), time, cancellationToken).ConfigureAwait(false);
            }

            var (keys, next) = await PageAsync(current.Continuation, settings.PageSize, cancellationToken).ConfigureAwait(false);
            int refreshed = await FillAsync(keys, cancellationToken).ConfigureAwait(false);
            run = new BackfillRun(run.Pages + 1, run.Checked + keys.Count, run.Refreshed + refreshed);
            current = await progress.SaveAsync(
                current,
                new BackfillProgress(next, Done: next is null, current.Checked + keys.Count, current.Refreshed + refreshed),
                cancellationToken).ConfigureAwait(false);
            LogPage(logger, current.Checked, current.Refreshed);
        }

        if (current.Done && run.Pages > 0)
        {
            LogDone(logger, current.Checked, current.Refreshed);
        }

        return run;
    }

    /// <summary>One page of the Postmortems table's keys, and the token of the next page (null after the last).</summary>
    private async Task<(IReadOnlyList<(string Tenant, string Id)> Keys, string? Next)> PageAsync(string? continuation, int size, CancellationToken cancellationToken) =>
        await StorageCalls.Run(
            async () =>
            {
                await foreach (var page in tables.Postmortems.QueryAsync<TableEntity>(filter: (string?)null, maxPerPage: size, select: KeyColumns, cancellationToken: cancellationToken)
                    .AsPages(continuation, size).ConfigureAwait(false))
                {
                    return ((IReadOnlyList<(string, string)>)[.. page.Values.Select(e => (e.PartitionKey, e.RowKey))], string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
                }

                return ([], null);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Rebuilds the index rows the page's postmortems lack (or hold from an older version); returns how many.</summary>
    private async Task<int> FillAsync(IReadOnlyList<(string Tenant, string Id)> keys, CancellationToken cancellationToken)
    {
        int refreshed = 0;
        foreach (var tenant in keys.Where(k => Ids.IsValidKeyPart(k.Tenant) && Ids.IsValidKeyPart(k.Id)).GroupBy(k => k.Tenant, StringComparer.Ordinal))
        {
            var ids = tenant.Select(k => k.Id).ToList();
            var current = await CurrentRowsAsync(tenant.Key, ids.Min(StringComparer.Ordinal)!, ids.Max(StringComparer.Ordinal)!, cancellationToken).ConfigureAwait(false);
            foreach (string id in ids.Where(id => !current.Contains(id)))
            {
                await index.RefreshAsync(tenant.Key, id, cancellationToken).ConfigureAwait(false);
                refreshed++;
            }
        }

        return refreshed;
    }

    /// <summary>The ids in [first, last] of one tenant whose index row is of the current version: one query of its partition.</summary>
    private async Task<HashSet<string>> CurrentRowsAsync(string tenantId, string first, string last, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForTenant(tenantId)} and RowKey ge {first} and RowKey le {last}");
        return await StorageCalls.Run(
            async () =>
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                await foreach (var row in tables.Index.QueryAsync<TableEntity>(filter, select: ["RowKey", nameof(IndexRow.SchemaVersion)], cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if ((row.GetInt32(nameof(IndexRow.SchemaVersion)) ?? 0) >= IndexRow.SchemaVersion)
                    {
                        ids.Add(row.RowKey);
                    }
                }

                return ids;
            },
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index backfill is off (Search:Backfill:Enabled); older postmortems enter the index on their next write")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index backfill: {Checked} postmortems checked, {Refreshed} added to the index or rebuilt so far")]
    private static partial void LogPage(ILogger logger, long @checked, long refreshed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index backfill finished: {Checked} postmortems checked, {Refreshed} added to the index or rebuilt")]
    private static partial void LogDone(ILogger logger, long @checked, long refreshed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index backfill failed (storage unavailable?); trying again in {DelaySeconds} s from the last page recorded")]
    private static partial void LogRetrying(ILogger logger, Exception exception, double delaySeconds);
}
