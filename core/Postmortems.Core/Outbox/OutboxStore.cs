using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Outbox;

/// <summary>
/// The outbox table. All items share one partition, so finding due items is a single-partition query that every app
/// instance can run; an item is claimed by writing a lease with If-Match on the version read, so when two instances
/// race for it exactly one write succeeds (Table Storage optimistic concurrency) and only that instance sends it.
/// </summary>
public sealed class OutboxStore(PostmortemTables tables, TimeProvider time)
{
    public const string Partition = "outbox";

    private readonly TableClient _table = tables.Outbox;

    /// <summary>Records an item. Recording the same id twice keeps the first (a double click confirms once).</summary>
    public async Task<(OutboxItem Item, bool Created)> EnqueueAsync(OutboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!Ids.IsValidKeyPart(item.Id))
        {
            throw new ArgumentException("An outbox id must be a valid row key.", nameof(item));
        }

        try
        {
            var response = await StorageCalls.Run(() => _table.AddEntityAsync(ToEntity(item), cancellationToken), cancellationToken).ConfigureAwait(false);
            return (item with { ETag = response.Headers.ETag?.ToString() }, true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return ((await GetAsync(item.Id, cancellationToken).ConfigureAwait(false))!, false);
        }
    }

    /// <summary>
    /// Asks for an item that may already exist, coalescing requests: one still waiting is left as it is (it will send
    /// the latest data); one being sent, sent or given up on is asked for again after <paramref name="delay"/>.
    /// </summary>
    public async Task RequestAsync(OutboxItem item, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await GetAsync(item.Id, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                var (_, created) = await EnqueueAsync(item with { NextAttemptAt = now + delay, CreatedAt = now }, cancellationToken).ConfigureAwait(false);
                if (created)
                {
                    return;
                }

                continue;
            }

            if (existing.Status == OutboxStatus.Pending && existing.LeaseUntil <= now)
            {
                return;
            }

            // The lease (if any) is left alone: its holder sees the new version when it completes and sends again.
            var again = existing with
            {
                Status = OutboxStatus.Pending,
                Version = existing.Version + 1,
                Attempts = 0,
                NextAttemptAt = now + delay,
                Payload = item.Payload,
                ConversationId = item.ConversationId ?? existing.ConversationId,
                DeliveryStartedAt = null,
            };
            if (await TryReplaceAsync(again, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        throw new StorageUnavailableException("The outbox item kept changing while it was being asked for again.");
    }

    public async Task<OutboxItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(id))
        {
            return null;
        }

        var response = await StorageCalls.Run(() => _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Claims up to <paramref name="max"/> due items for <paramref name="owner"/>; items another instance won are skipped.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(string owner, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition} and Status eq {nameof(OutboxStatus.Pending)} and NextAttemptAt le {now} and LeaseUntil le {now}");
        var due = await StorageCalls.Run(
            async () =>
            {
                var found = new List<OutboxItem>();
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    found.Add(FromEntity(entity));
                    if (found.Count >= max)
                    {
                        break;
                    }
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);

        var claimed = new List<OutboxItem>();
        foreach (var item in due.OrderBy(i => i.NextAttemptAt))
        {
            var mine = await TryReplaceAsync(item with { LeaseOwner = owner, LeaseUntil = now + lease }, cancellationToken).ConfigureAwait(false);
            if (mine is not null)
            {
                claimed.Add(mine);
            }
        }

        return claimed;
    }

    /// <summary>
    /// Marks a claimed item sent. False when it was asked for again while being sent (it stays pending and is sent
    /// once more) or when the lease was lost to another instance.
    /// </summary>
    public async Task<bool> CompleteAsync(OutboxItem claimed, string? result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var done = claimed with
        {
            Status = OutboxStatus.Sent,
            Result = result,
            CompletedAt = time.GetUtcNow(),
            Attempts = claimed.Attempts + 1,
            LastError = null,
            LeaseOwner = null,
            LeaseUntil = DateTimeOffset.UnixEpoch,
        };
        if (await TryReplaceAsync(done, cancellationToken).ConfigureAwait(false) is not null)
        {
            return true;
        }

        await ReleaseIfAskedAgainAsync(claimed, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Records that a claimed at-most-once item is about to be delivered (see <see cref="IAtMostOnceOutboxHandler"/>);
    /// the item with its new ETag, or null when the lease was lost (then it must not be sent from here).
    /// </summary>
    public Task<OutboxItem?> MarkDeliveryStartedAsync(OutboxItem claimed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return TryReplaceAsync(claimed with { DeliveryStartedAt = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>Puts a claimed item back to be tried again at <paramref name="nextAttemptAt"/>.</summary>
    public async Task RetryLaterAsync(OutboxItem claimed, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var later = claimed with
        {
            Attempts = claimed.Attempts + 1,
            LastError = error,
            NextAttemptAt = nextAttemptAt,
            DeliveryStartedAt = null,
            LeaseOwner = null,
            LeaseUntil = DateTimeOffset.UnixEpoch,
        };
        if (await TryReplaceAsync(later, cancellationToken).ConfigureAwait(false) is null)
        {
            await ReleaseIfAskedAgainAsync(claimed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives up on a claimed item. False when it was asked for again meanwhile (then it is tried afresh).</summary>
    public async Task<bool> DeadLetterAsync(OutboxItem claimed, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var dead = claimed with
        {
            Status = OutboxStatus.DeadLettered,
            Attempts = claimed.Attempts + 1,
            LastError = error,
            CompletedAt = time.GetUtcNow(),
            LeaseOwner = null,
            LeaseUntil = DateTimeOffset.UnixEpoch,
        };
        if (await TryReplaceAsync(dead, cancellationToken).ConfigureAwait(false) is not null)
        {
            return true;
        }

        await ReleaseIfAskedAgainAsync(claimed, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Deletes items sent or given up on before <paramref name="cutoff"/>, so the partition the workers scan stays
    /// small. Pending items are never deleted. Returns how many were removed.
    /// </summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        string filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition} and Status ne {nameof(OutboxStatus.Pending)} and CompletedAt lt {cutoff}");
        int removed = 0;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _table.DeleteEntityAsync(Partition, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Deleted by another instance, or asked for again meanwhile: leave it.
            }
        }

        return removed;
    }

    /// <summary>Every item, oldest first; for tests and diagnostics (a single-partition query).</summary>
    public async Task<IReadOnlyList<OutboxItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        var items = new List<OutboxItem>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(FromEntity(entity));
        }

        return [.. items.OrderBy(i => i.CreatedAt)];
    }

    /// <summary>
    /// After a write lost the race: if the item was asked for again while we held it, drop our lease so it is sent
    /// again promptly (with the newest data). If another instance took it over, leave it to them.
    /// </summary>
    private async Task ReleaseIfAskedAgainAsync(OutboxItem claimed, CancellationToken cancellationToken)
    {
        var current = await GetAsync(claimed.Id, cancellationToken).ConfigureAwait(false);
        if (current is not null && current.LeaseOwner == claimed.LeaseOwner && current.Version != claimed.Version)
        {
            await TryReplaceAsync(current with { LeaseOwner = null, LeaseUntil = DateTimeOffset.UnixEpoch }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the item if it is still at the version read (If-Match); null when someone else wrote it first.</summary>
    private async Task<OutboxItem?> TryReplaceAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            var response = await StorageCalls.Run(
                () => _table.UpdateEntityAsync(ToEntity(item), new ETag(item.ETag!), TableUpdateMode.Replace, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return item with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    private static TableEntity ToEntity(OutboxItem item) => new(Partition, item.Id)
    {
        [nameof(item.Operation)] = item.Operation,
        [nameof(item.TenantId)] = item.TenantId,
        [nameof(item.PostmortemId)] = item.PostmortemId,
        [nameof(item.ConversationId)] = item.ConversationId,
        [nameof(item.Payload)] = item.Payload,
        [nameof(item.Status)] = item.Status.ToString(),
        [nameof(item.Attempts)] = item.Attempts,
        [nameof(item.NextAttemptAt)] = item.NextAttemptAt,
        [nameof(item.CreatedAt)] = item.CreatedAt,
        [nameof(item.CompletedAt)] = item.CompletedAt,
        [nameof(item.LastError)] = item.LastError is null ? null : FormatError(item.LastError),
        [nameof(item.DeliveryStartedAt)] = item.DeliveryStartedAt,
        [nameof(item.Result)] = item.Result,
        [nameof(item.Version)] = item.Version,
        [nameof(item.LeaseOwner)] = item.LeaseOwner,
        [nameof(item.LeaseUntil)] = item.LeaseUntil,
    };

    private static string FormatError(string error) => error.Length <= 2000 ? error : error[..2000];

    private static OutboxItem FromEntity(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Operation = entity.RequiredString(nameof(OutboxItem.Operation)),
        TenantId = entity.RequiredString(nameof(OutboxItem.TenantId)),
        PostmortemId = entity.RequiredString(nameof(OutboxItem.PostmortemId)),
        ConversationId = entity.GetString(nameof(OutboxItem.ConversationId)),
        Payload = entity.GetString(nameof(OutboxItem.Payload)) ?? "{}",
        Status = entity.GetEnum(nameof(OutboxItem.Status), OutboxStatus.Pending),
        Attempts = entity.GetInt32(nameof(OutboxItem.Attempts)) ?? 0,
        NextAttemptAt = entity.GetDateTimeOffset(nameof(OutboxItem.NextAttemptAt)) ?? DateTimeOffset.UnixEpoch,
        CreatedAt = entity.GetDateTimeOffset(nameof(OutboxItem.CreatedAt)) ?? DateTimeOffset.UnixEpoch,
        CompletedAt = entity.GetDateTimeOffset(nameof(OutboxItem.CompletedAt)),
        LastError = entity.GetString(nameof(OutboxItem.LastError)),
        DeliveryStartedAt = entity.GetDateTimeOffset(nameof(OutboxItem.DeliveryStartedAt)),
        Result = entity.GetString(nameof(OutboxItem.Result)),
        Version = entity.GetInt32(nameof(OutboxItem.Version)) ?? 0,
        LeaseOwner = entity.GetString(nameof(OutboxItem.LeaseOwner)),
        LeaseUntil = entity.GetDateTimeOffset(nameof(OutboxItem.LeaseUntil)) ?? DateTimeOffset.UnixEpoch,
        ETag = entity.ETag.ToString(),
    };
}
