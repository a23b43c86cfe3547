using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Actions;

/// <summary>A row of <see cref="RemindersDueIndex"/>: an action's reminders (or, with no action, a postmortem's weekly digest) filed under a day.</summary>
/// <param name="Day">The local date the next reminder falls on (as the recipient's calendar reads it: zone-free).</param>
/// <param name="ActionId">Null for a digest row.</param>
/// <param name="DueDate">The action's due date when the row was written; a row whose action has another one is stale.</param>
public sealed record DueRow(DateOnly Day, string TenantId, string PostmortemId, string? ActionId, DateOnly? DueDate, string RowKey, string ETag);

/// <summary>
/// What the reminder scan reads instead of every live action: table <see cref="TableNames.RemindersDue"/>, partition =
/// a day ("yyyyMMdd"), so "what is due by tomorrow" is one range query over the few partitions up to tomorrow and its
/// cost follows the number of due actions, not the table's size.
/// <list type="bullet">
/// <item>An action that becomes open with an owner and a due date, or gets a new due date, is filed under the day it
/// was written (its row key names the due date, so rows for an old date never overwrite a new one); its postmortem
/// gets a digest row the same way. The writer does not know the reminder settings: the next scan reads each such row
/// once and moves it to the day of its next reminder.</item>
/// <item>The scan moves each row it handles forward to its next reminder day (an overdue action's next weekly one),
/// and deletes rows whose action is finished, gone or re-dated. A row is deleted only with If-Match on the version read,
/// and a move writes the new row before deleting the old, so a concurrent write is never lost: at worst a row is read
/// twice.</item>
/// </list>
/// </summary>
public sealed class RemindersDueIndex(PostmortemTables tables, TimeProvider time)
{
    private const string Kind = "Kind";
    private const string DigestKind = "digest";
    private const string ActionKind = "action";
    private const string MetaPartition = "meta";
    private const string BackfilledRow = "backfilled";

    private TableClient Table => tables.RemindersDue;

    public static string PartitionOf(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Files the action (and its postmortem's digest) under today when it became remindable or was re-dated.</summary>
    public async Task ActionWrittenAsync(string tenantId, ActionItem? before, ActionItem? after, CancellationToken cancellationToken)
    {
        if (after is null || !IsRemindable(after) || (before is not null && IsRemindable(before) && before.DueDate == after.DueDate))
        {
            return;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        string partition = PartitionOf(today);
        await StorageCalls.Run(
            () => Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, ActionRow(partition, tenantId, after.PostmortemId, after.Id, after.DueDate!.Value)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, DigestRow(partition, tenantId, after.PostmortemId)),
                ],
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row filed under a day up to and including <paramref name="lastDay"/>: one range query.</summary>
    public async Task<IReadOnlyList<DueRow>> ListDueAsync(DateOnly lastDay, CancellationToken cancellationToken)
    {
        // "meta" sorts after every "yyyyMMdd", so the marker row is never read here.
        string filter = TableClient.CreateQueryFilter($"PartitionKey le {PartitionOf(lastDay)}");
        return await StorageCalls.Run(
            async () =>
            {
                var rows = new List<DueRow>();
                await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (FromEntity(entity) is { } row)
                    {
                        rows.Add(row);
                    }
                }

                return (IReadOnlyList<DueRow>)rows;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Files the row under <paramref name="day"/> instead: the new row first, then the old one (If-Match) is deleted.</summary>
    public async Task MoveAsync(DueRow row, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (day == row.Day)
        {
            return;
        }

        string partition = PartitionOf(day);
        var moved = row.ActionId is null
            ? DigestRow(partition, row.TenantId, row.PostmortemId)
            : ActionRow(partition, row.TenantId, row.PostmortemId, row.ActionId, row.DueDate!.Value);
        await StorageCalls.Run(() => Table.UpsertEntityAsync(moved, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the row if it is still the version read (a newer write keeps it).</summary>
    public async Task DeleteAsync(DueRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await StorageCalls.Run(() => Table.DeleteEntityAsync(PartitionOf(row.Day), row.RowKey, new ETag(row.ETag), cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
        }
    }

    /// <summary>
    /// Once per table: files every live action that was written before this index existed (read from "my actions",
    /// <paramref name="live"/>) under today, then leaves a marker so it never runs again.
    /// </summary>
    public async Task BackfillOnceAsync(IAsyncEnumerable<LiveAction> live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        var marker = await StorageCalls.Run(() => Table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, BackfilledRow, select: ["RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        if (marker.HasValue)
        {
            return;
        }

        string partition = PartitionOf(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var batch = new Dictionary<string, TableTransactionAction>(StringComparer.Ordinal);
        await foreach (var item in live.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!IsRemindable(item.Action))
            {
                continue;
            }

            var row = ActionRow(partition, item.TenantId, item.Action.PostmortemId, item.Action.Id, item.Action.DueDate!.Value);
            var digest = DigestRow(partition, item.TenantId, item.Action.PostmortemId);
            batch[row.RowKey] = new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            batch[digest.RowKey] = new TableTransactionAction(TableTransactionActionType.UpsertReplace, digest);
            if (batch.Count >= 98)
            {
                await SubmitAsync(batch.Values, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await SubmitAsync(batch.Values, cancellationToken).ConfigureAwait(false);
        }

        await StorageCalls.Run(() => Table.UpsertEntityAsync(new TableEntity(MetaPartition, BackfilledRow), TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private Task<Response<IReadOnlyList<Response>>> SubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var list = actions.ToList();
        return StorageCalls.Run(() => Table.SubmitTransactionAsync(list, cancellationToken), cancellationToken);
    }

    /// <summary>An action that gets reminders: open or in progress, with an owner and a due date.</summary>
    public static bool IsRemindable(ActionItem action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Status is ActionStatus.Open or ActionStatus.InProgress
            && action.Owner is { } owner && Ids.IsValidKeyPart(owner.ObjectId)
            && action.DueDate is not null;
    }

    private static TableEntity ActionRow(string partition, string tenantId, string postmortemId, string actionId, DateOnly dueDate) =>
        new(partition, $"{tenantId}|{postmortemId}|{actionId}|{PartitionOf(dueDate)}")
        {
            [Kind] = ActionKind,
            ["TenantId"] = tenantId,
            ["PostmortemId"] = postmortemId,
            ["ActionId"] = actionId,
            ["DueDate"] = ((DateOnly?)dueDate).ToStored(),
        };

    private static TableEntity DigestRow(string partition, string tenantId, string postmortemId) =>
        new(partition, $"{DigestKind}|{tenantId}|{postmortemId}")
        {
            [Kind] = DigestKind,
            ["TenantId"] = tenantId,
            ["PostmortemId"] = postmortemId,
        };

    private static DueRow? FromEntity(TableEntity entity)
    {
        if (!DateOnly.TryParseExact(entity.PartitionKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || entity.GetString("TenantId") is not { } tenantId || entity.GetString("PostmortemId") is not { } postmortemId)
        {
            return null;
        }

        bool digest = entity.GetString(Kind) == DigestKind;
        return new DueRow(day, tenantId, postmortemId, digest ? null : entity.GetString("ActionId"), digest ? null : entity.GetDateOnly("DueDate"), entity.RowKey, entity.ETag.ToString());
    }
}
