using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Outbox;

namespace Postmortems.Bot.Reminders;

/// <summary>What a "reminder.send" outbox item carries: which action, which occasion, for whom.</summary>
public sealed record ActionReminder(string ActionId, string OwnerId, string Occasion, DateOnly DueDate, DateTimeOffset SendAt, string TimeZone);

/// <summary>What a "reminder.digest" outbox item carries: the facilitator's postmortems with their counts.</summary>
public sealed record FacilitatorDigest(string FacilitatorId, string Occasion, string TimeZone, IReadOnlyList<DigestLine> Postmortems);

public sealed record DigestLine(string PostmortemId, string Title, int Open, int Overdue, int DoneThisWeek);

/// <summary>
/// Runs in every app instance: every <see cref="ReminderOptions.ScanInterval"/> it reads the actions due (by day, see
/// <see cref="RemindersDueIndex"/>) and records
/// each reminder that is due in the outbox, with an id derived from tenant, postmortem, action and occasion. Recording
/// the same id twice keeps the first (the outbox answers 409), so two instances scanning at once, or one scanning again
/// after a restart, record each reminder once; the outbox worker's leases make sure one instance sends it, and a
/// crashed instance's lease runs out so another does.
/// </summary>
public sealed partial class ReminderScanner(
    ActionsByOwnerIndex index,
    UserContactStore contacts,
    PostmortemRepository postmortems,
    PostmortemItemStore<ActionItem> actions,
    OutboxStore outbox,
    OutboxSignal signal,
    IOptions<ReminderOptions> options,
    IOptions<OutboxOptions> outboxOptions,
    StorageReadiness readiness,
    TimeProvider time,
    ILogger<ReminderScanner> logger) : BackgroundService
{
    public const string SendOperation = "reminder.send";
    public const string DigestOperation = "reminder.digest";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The outbox sends reminders: with its worker off (tests that drive it step by step) nothing is scanned either.
        if (!options.Value.Enabled || !outboxOptions.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.TablesCreated)
                {
                    await ScanOnceAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnavailable(logger, ex);
            }
            catch (Azure.RequestFailedException ex)
            {
                LogStorageUnavailable(logger, ex);
            }

            await Task.Delay(options.Value.ScanInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One scan: records every reminder due now; returns how many were new. Tests call it directly. It reads only
    /// what is due (<see cref="RemindersDueIndex"/>: the rows filed under a day up to tomorrow, then a point read of
    /// each such action), never every action: its cost follows the number of due actions, not the table's size.
    /// </summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var scan = new Scan(contacts, postmortems, time.GetUtcNow(), cancellationToken);
        var due = index.RemindersDue;
        await due.BackfillOnceAsync(index.ListAllAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var rows = await due.ListDueAsync(ReminderPlanner.LastDayToRead(scan.Now), cancellationToken).ConfigureAwait(false);
        int recorded = 0;
        foreach (var row in rows)
        {
            recorded += row.ActionId is null
                ? await CollectDigestRowAsync(scan, row).ConfigureAwait(false)
                : await RemindActionAsync(scan, row, row.ActionId).ConfigureAwait(false);
        }

        foreach (var ((tenantId, facilitatorId), digestRows) in scan.Digests)
        {
            recorded += await DigestAsync(scan, tenantId, facilitatorId, digestRows).ConfigureAwait(false);
        }

        if (recorded > 0)
        {
            LogRecorded(logger, recorded);
            signal.Pulse();
        }

        return recorded;
    }

    /// <summary>A facilitator's digest row: gathered for that facilitator's digest; dropped when its postmortem is gone.</summary>
    private async Task<int> CollectDigestRowAsync(Scan scan, DueRow row)
    {
        var parent = await scan.ParentAsync(row.TenantId, row.PostmortemId).ConfigureAwait(false);
        if (parent is null)
        {
            await index.RemindersDue.DeleteAsync(row, scan.Token).ConfigureAwait(false);
            return 0;
        }

        var key = (row.TenantId, parent.Facilitator.ObjectId);
        if (!scan.Digests.TryGetValue(key, out var list))
        {
            scan.Digests[key] = list = [];
        }

        list.Add(row);
        return 0;
    }

    /// <summary>
    /// An action's row: records each of its occasions due now, then files it under the day of its next one. The row is
    /// a pointer; the action itself is the truth: finished, gone or re-dated since, the row is stale and dropped.
    /// </summary>
    private async Task<int> RemindActionAsync(Scan scan, DueRow row, string actionId)
    {
        var parent = await scan.ParentAsync(row.TenantId, row.PostmortemId).ConfigureAwait(false);
        var action = await actions.GetAsync(row.TenantId, row.PostmortemId, actionId, scan.Token).ConfigureAwait(false);
        if (parent is null || !ReminderPlanner.IsStillDue(action, row.DueDate))
        {
            await index.RemindersDue.DeleteAsync(row, scan.Token).ConfigureAwait(false);
            return 0;
        }

        var owner = action!.Owner!;
        var dueDate = action.DueDate!.Value;
        string zone = await OwnerZoneAsync(scan, row.TenantId, owner, parent).ConfigureAwait(false);
        int recorded = 0;
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var occasion in ReminderPlanner.DueForAction(dueDate, action.Status, zone, scan.Now, options.Value))
        {
            var payload = new ActionReminder(action.Id, owner.ObjectId, occasion.Key, dueDate, occasion.SendAt, zone);
            if (await RecordAsync(SendOperation, row.TenantId, action.PostmortemId, $"{action.PostmortemId}|{action.Id}|{occasion.Key}", payload, scan.Now, scan.Token).ConfigureAwait(false))
            {
                recorded++;
            }

            handled.Add(occasion.Key);
        }

        await index.RemindersDue.MoveAsync(row, ReminderPlanner.NextOccasionDate(dueDate, zone, scan.Now, options.Value, handled), scan.Token).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>
    /// The owner's zone as Teams last reported it; unknown (they never wrote to the bot): the facilitator's, who is
    /// usually on the same team; neither known: UTC. The facilitator's is read only when the owner's is unknown.
    /// </summary>
    private static async Task<string> OwnerZoneAsync(Scan scan, string tenantId, Person owner, Postmortem parent) =>
        await scan.ZoneAsync(tenantId, owner.ObjectId).ConfigureAwait(false)
        ?? await scan.ZoneAsync(tenantId, parent.Facilitator.ObjectId).ConfigureAwait(false)
        ?? "UTC";

    /// <summary>
    /// One facilitator's digest: when it is due in their zone, records it with a line for each postmortem that still
    /// has an owned open action (the others leave the digest until an action is written again); then files the rows
    /// kept under the day of the next digest.
    /// </summary>
    private async Task<int> DigestAsync(Scan scan, string tenantId, string facilitatorId, List<DueRow> digestRows)
    {
        string zone = await scan.ZoneAsync(tenantId, facilitatorId).ConfigureAwait(false) ?? "UTC";
        int recorded = 0;
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var keep = digestRows;
        if (ReminderPlanner.DueDigest(zone, scan.Now, options.Value) is { } occasion)
        {
            List<DigestLine> lines;
            (lines, keep) = await LiveLinesAsync(scan, tenantId, zone, digestRows).ConfigureAwait(false);
            foreach (var gone in digestRows.Except(keep))
            {
                await index.RemindersDue.DeleteAsync(gone, scan.Token).ConfigureAwait(false);
            }

            if (lines.Count > 0)
            {
                var payload = new FacilitatorDigest(facilitatorId, occasion.Key, zone, lines);
                if (await RecordAsync(DigestOperation, tenantId, lines[0].PostmortemId, $"digest|{facilitatorId}|{occasion.Key}", payload, scan.Now, scan.Token).ConfigureAwait(false))
                {
                    recorded++;
                }
            }

            handled.Add(occasion.Key);
        }

        var next = ReminderPlanner.NextDigestDate(zone, scan.Now, options.Value, handled);
        foreach (var row in keep)
        {
            await index.RemindersDue.MoveAsync(row, next, scan.Token).ConfigureAwait(false);
        }

        return recorded;
    }

    /// <summary>The digest's lines, one per postmortem in id order, for the postmortems still live; and the rows to keep (theirs).</summary>
    private async Task<(List<DigestLine> Lines, List<DueRow> Keep)> LiveLinesAsync(Scan scan, string tenantId, string zone, List<DueRow> digestRows)
    {
        var lines = new List<DigestLine>();
        var keep = new List<DueRow>();
        foreach (var row in digestRows.DistinctBy(r => r.PostmortemId).OrderBy(r => r.PostmortemId, StringComparer.Ordinal))
        {
            var postmortem = (await scan.ParentAsync(tenantId, row.PostmortemId).ConfigureAwait(false))!;
            var all = await actions.ListAsync(tenantId, postmortem.Id, scan.Token).ConfigureAwait(false);
            if (ReminderPlanner.StaysInDigest(all))
            {
                lines.Add(ReminderPlanner.DigestLineOf(postmortem, all, zone, scan.Now));
                keep.AddRange(digestRows.Where(r => r.PostmortemId == row.PostmortemId));
            }
        }

        return (lines, keep);
    }

    /// <summary>One scan's clock and what it has read: zones and postmortems are read once per scan, and digest rows gathered by facilitator.</summary>
    private sealed class Scan(UserContactStore contacts, PostmortemRepository postmortems, DateTimeOffset now, CancellationToken token)
    {
        private readonly Dictionary<(string, string), string?> _zones = [];
        private readonly Dictionary<(string, string), Postmortem?> _parents = [];

        public DateTimeOffset Now { get; } = now;

        public CancellationToken Token { get; } = token;

        public Dictionary<(string Tenant, string Facilitator), List<DueRow>> Digests { get; } = [];

        public async Task<string?> ZoneAsync(string tenantId, string objectId)
        {
            if (!_zones.TryGetValue((tenantId, objectId), out string? zone))
            {
                _zones[(tenantId, objectId)] = zone = (await contacts.GetAsync(tenantId, objectId, Token).ConfigureAwait(false))?.TimeZone;
            }

            return zone;
        }

        public async Task<Postmortem?> ParentAsync(string tenantId, string postmortemId)
        {
            if (!_parents.TryGetValue((tenantId, postmortemId), out var parent))
            {
                _parents[(tenantId, postmortemId)] = parent = await postmortems.GetAsync(tenantId, postmortemId, Token).ConfigureAwait(false);
            }

            return parent;
        }
    }

    private async Task<bool> RecordAsync<T>(string operation, string tenantId, string postmortemId, string occasionId, T payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var item = new OutboxItem
        {
            Id = Ids.DerivedId($"{tenantId}|{occasionId}"),
            Operation = operation,
            TenantId = tenantId,
            PostmortemId = postmortemId,
            Payload = JsonSerializer.Serialize(payload, Json),
            NextAttemptAt = now,
            CreatedAt = now,
        };
        var (_, created) = await outbox.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        return created;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminders: {Count} due reminders recorded")]
    private static partial void LogRecorded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminders: storage unavailable, scanning again later")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception);
}
