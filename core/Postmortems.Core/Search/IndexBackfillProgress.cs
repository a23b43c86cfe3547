using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Search;

/// <summary>How far the backfill of one index version got: where to continue, whether it is done, and the counts so far.</summary>
public sealed record BackfillProgress(string? Continuation, bool Done, long Checked, long Refreshed, ETag? ETag = null);

/// <summary>
/// The backfill's marker row in the PostmortemIndex table, one per index version (<see cref="IndexRow.SchemaVersion"/>),
/// in a partition no tenant can have ("~" is not allowed in a tenant id). Saved with If-Match (or added only if absent),
/// so when two instances run the backfill at once, the one that loses reads the other's progress and goes on from there.
/// </summary>
public sealed class IndexBackfillProgress(PostmortemTables tables)
{
    public const string Partition = "~backfill";

    public static string RowKey => "v" + IndexRow.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<BackfillProgress> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await StorageCalls.Run(
            () => tables.Index.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } e)
        {
            return new BackfillProgress(null, Done: false, Checked: 0, Refreshed: 0);
        }

        return new BackfillProgress(
            e.GetString(nameof(BackfillProgress.Continuation)),
            e.GetBoolean(nameof(BackfillProgress.Done)) ?? false,
            e.GetInt64(nameof(BackfillProgress.Checked)) ?? 0,
            e.GetInt64(nameof(BackfillProgress.Refreshed)) ?? 0,
            e.ETag);
    }

    /// <summary>Saves <paramref name="next"/> if the row is still at <paramref name="read"/>'s version; else returns the progress stored meanwhile.</summary>
    public async Task<BackfillProgress> SaveAsync(BackfillProgress read, BackfillProgress next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(next);
        var entity = new TableEntity(Partition, RowKey)
        {
            [nameof(BackfillProgress.Continuation)] = next.Continuation,
            [nameof(BackfillProgress.Done)] = next.Done,
            [nameof(BackfillProgress.Checked)] = next.Checked,
            [nameof(BackfillProgress.Refreshed)] = next.Refreshed,
        };
        try
        {
            var response = await StorageCalls.Run(
                () => read.ETag is { } etag
                    ? tables.Index.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                    : tables.Index.AddEntityAsync(entity, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return next with { ETag = response.Headers.ETag };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
