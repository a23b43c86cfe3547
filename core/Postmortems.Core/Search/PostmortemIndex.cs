using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Search;

/// <summary>
/// Keeps the PostmortemIndex table: one compact row per postmortem, rebuilt from the whole postmortem after every write
/// of it or of its actions, ideas, factors and takeaways (the repository and the item stores tell it, whoever wrote).
/// Search, the overview and "seen before" read only these rows: one query of the tenant's partition, never the
/// postmortems' items.
/// <para>
/// Two writers rebuilding at once cannot leave an old picture behind: the index row's version is read first, then the
/// postmortem, and the new row is written only if the index row is still at that version (If-Match; a new row only if
/// there is none). A writer that loses starts again and so reads the postmortem after the other's write.
/// </para>
/// </summary>
public sealed class PostmortemIndex
{
    private const int Attempts = 4;

    private readonly PostmortemTables _tables;
    private readonly IndexSnapshots _snapshots;
    private readonly PostmortemItemStore<RemediationIdea> _ideas;
    private readonly PostmortemItemStore<ActionItem> _actions;
    private readonly PostmortemItemStore<ContributingFactor> _factors;
    private readonly PostmortemItemStore<Takeaway> _takeaways;

    public PostmortemIndex(PostmortemTables tables, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables;
        _snapshots = new IndexSnapshots(time);

        // Only to read rows of the postmortem's partition as items; writes never go through these.
        _ideas = new(tables.Items, new RemediationIdeaMapping(), time);
        _actions = new(tables.Items, new ActionItemMapping(), time);
        _factors = new(tables.Items, new ContributingFactorMapping(), time);
        _takeaways = new(tables.Items, new TakeawayMapping(), time);
    }

    /// <summary>Rebuilds the postmortem's index row from what is stored now.</summary>
    public async Task RefreshAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValidKeyPart(postmortemId))
        {
            return;
        }

        string partition = PartitionKeys.ForTenant(tenantId);
        for (int attempt = 1; ; attempt++)
        {
            var current = await StorageCalls.Run(
                () => _tables.Index.GetEntityIfExistsAsync<TableEntity>(partition, postmortemId, select: ["RowKey"], cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var document = await ReadDocumentAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                return; // Postmortems are never deleted; an unknown id has no row to keep.
            }

            var built = IndexRow.Build(document);
            var entity = built.ToEntity(tenantId);
            try
            {
                await StorageCalls.Run(
                    () => current.HasValue && current.Value is { } row
                        ? _tables.Index.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken)
                        : _tables.Index.AddEntityAsync(entity, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                _snapshots.Written(tenantId, built);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < Attempts)
            {
                // Another writer rebuilt it meanwhile: read again, so the row is built from a read after theirs.
            }
        }
    }

    /// <summary>One row, or null.</summary>
    public async Task<IndexRow?> GetAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValidKeyPart(postmortemId))
        {
            return null;
        }

        var response = await StorageCalls.Run(
            () => _tables.Index.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), postmortemId, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? IndexRow.FromEntity(entity) : null;
    }

    /// <summary>Changes whenever the rows <see cref="RowsAsync"/> answers from change.</summary>
    public long Version(string tenantId) => _snapshots.Version(tenantId);

    /// <summary>
    /// The tenant's rows dated in [from, to) and with the given statuses and severity, from the tenant's snapshot
    /// (<see cref="IndexSnapshots"/>: in memory, refreshed from storage by one query of the tenant's partition).
    /// </summary>
    public async Task<IReadOnlyList<IndexRow>> RowsAsync(string tenantId, IndexFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var rows = await _snapshots.RowsAsync(tenantId, (since, ct) => QueryAsync(tenantId, new IndexFilter(ChangedSince: since), [], ct), cancellationToken).ConfigureAwait(false);
        return [.. rows.Where(r =>
            (filter.From is not { } from || r.Date >= from) &&
            (filter.To is not { } to || r.Date < to) &&
            (filter.Severity is not { } severity || r.Severity == severity) &&
            (filter.Statuses is not { Count: > 0 } statuses || statuses.Contains(r.Status)))];
    }

    /// <summary>
    /// The tenant's rows, optionally only those dated in [from, to) and with the given statuses and severity: one query
    /// of the tenant's partition, reading only the <paramref name="columns"/> asked for (all when empty).
    /// </summary>
    public async Task<IReadOnlyList<IndexRow>> QueryAsync(string tenantId, IndexFilter filter, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(columns);
        string query = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForTenant(tenantId)}");
        if (filter.From is { } from)
        {
            query += " and " + TableClient.CreateQueryFilter($"Date ge {from}");
        }

        if (filter.To is { } to)
        {
            query += " and " + TableClient.CreateQueryFilter($"Date lt {to}");
        }

        if (filter.Severity is { } severity)
        {
            query += " and " + TableClient.CreateQueryFilter($"Severity eq {severity.ToString()}");
        }

        if (filter.ChangedSince is { } since)
        {
            query += " and " + TableClient.CreateQueryFilter($"Timestamp ge {since}");
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            query += " and (" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))) + ")";
        }

        return await StorageCalls.Run(
            async () =>
            {
                var rows = new List<IndexRow>();
                await foreach (var entity in _tables.Index.QueryAsync<TableEntity>(query, maxPerPage: 1000, select: columns.Count == 0 ? null : columns, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(IndexRow.FromEntity(entity));
                }

                return (IReadOnlyList<IndexRow>)rows;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<PostmortemDocument?> ReadDocumentAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        var postmortemTask = StorageCalls.Run(
            () => _tables.Postmortems.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), postmortemId, cancellationToken: cancellationToken),
            cancellationToken);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForPostmortem(tenantId, postmortemId)}");
        var rowsTask = StorageCalls.Run(
            async () =>
            {
                var rows = new List<TableEntity>();
                await foreach (var row in _tables.Items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row);
                }

                return rows;
            },
            cancellationToken);
        var postmortem = await postmortemTask.ConfigureAwait(false);
        var rows = await rowsTask.ConfigureAwait(false);
        if (!postmortem.HasValue || postmortem.Value is not { } entity)
        {
            return null;
        }

        return new PostmortemDocument(
            PostmortemRepository.FromEntity(entity),
            Timeline: [],
            Ideas: [.. rows.Where(_ideas.IsOfThisKind).Select(_ideas.FromEntity)],
            Actions: [.. rows.Where(_actions.IsOfThisKind).Select(_actions.FromEntity)],
            Whys: [],
            ContributingFactors: [.. rows.Where(_factors.IsOfThisKind).Select(_factors.FromEntity).OrderBy(f => f.CreatedAt)],
            Takeaways: [.. rows.Where(_takeaways.IsOfThisKind).Select(_takeaways.FromEntity)]);
    }
}

/// <summary>
/// What the index query narrows by in storage: a date range, statuses, severity, and rows written since a moment (by
/// storage's own Timestamp). The rest is judged on the rows read.
/// </summary>
public sealed record IndexFilter(DateTimeOffset? From = null, DateTimeOffset? To = null, IReadOnlyList<PostmortemStatus>? Statuses = null, Severity? Severity = null, DateTimeOffset? ChangedSince = null);
