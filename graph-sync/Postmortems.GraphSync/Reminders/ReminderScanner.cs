using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Outbox;

namespace Postmortems.GraphSync.Reminders;

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
        var now = time.GetUtcNow();
        var settings = options.Value;
        var due = index.RemindersDue;
        await due.BackfillOnceAsync(index.ListAllAsync(cancellationToken), cancellationToken).ConfigureAwait(false);

        // A reminder's local date is at most a day ahead of UTC's (UTC+14), so "up to tomorrow" holds every due one.
        var rows = await due.ListDueAsync(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1), cancellationToken).ConfigureAwait(false);
        var zones = new Dictionary<(string, string), string?>();
        var parents = new Dictionary<(string, string), Postmortem?>();
        var digests = new Dictionary<(string Tenant, string Facilitator), List<DueRow>>();
        int recorded = 0;

        foreach (var row in rows)
        {
            var parent = await ParentAsync(row.TenantId, row.PostmortemId).ConfigureAwait(false);
            if (row.ActionId is null)
            {
                if (parent is null)
                {
                    await due.DeleteAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var key = (row.TenantId, parent.Facilitator.ObjectId);
                    if (!digests.TryGetValue(key, out var list))
                    {
                        digests[key] = list = [];
                    }

                    list.Add(row);
                }

                continue;
            }

            // The row is a pointer; the action itself is the truth. Finished, gone or re-dated since: the row is stale.
            var action = await actions.GetAsync(row.TenantId, row.PostmortemId, row.ActionId, cancellationToken).ConfigureAwait(false);
            if (action is null || parent is null || !RemindersDueIndex.IsRemindable(action) || action.DueDate != row.DueDate)
            {
                await due.DeleteAsync(row, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var owner = action.Owner!;
            var dueDate = action.DueDate!.Value;

            // The owner's zone as Teams last reported it; unknown (they never wrote to the bot): the facilitator's, who
            // is usually on the same team; neither known: UTC.
            string zone = await ZoneAsync(row.TenantId, owner.ObjectId).ConfigureAwait(false)
                ?? await ZoneAsync(row.TenantId, parent.Facilitator.ObjectId).ConfigureAwait(false)
                ?? "UTC";
            var handled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var occasion in ReminderPlanner.DueForAction(dueDate, action.Status, zone, now, settings))
            {
                var payload = new ActionReminder(action.Id, owner.ObjectId, occasion.Key, dueDate, occasion.SendAt, zone);
                if (await RecordAsync(SendOperation, row.TenantId, action.PostmortemId, $"{action.PostmortemId}|{action.Id}|{occasion.Key}", payload, now, cancellationToken).ConfigureAwait(false))
                {
                    recorded++;
                }

                handled.Add(occasion.Key);
            }

            await due.MoveAsync(row, ReminderPlanner.NextOccasionDate(dueDate, zone, now, settings, handled), cancellationToken).ConfigureAwait(false);
        }

        foreach (var ((tenantId, facilitatorId), digestRows) in digests)
        {
            string zone = await ZoneAsync(tenantId, facilitatorId).ConfigureAwait(false) ?? "UTC";
            var handled = new HashSet<string>(StringComparer.Ordinal);
            var keep = digestRows;
            if (ReminderPlanner.DueDigest(zone, now, settings) is { } occasion)
            {
                var lines = new List<DigestLine>();
                keep = [];
                foreach (var row in digestRows.DistinctBy(r => r.PostmortemId).OrderBy(r => r.PostmortemId, StringComparer.Ordinal))
                {
                    var (line, live) = await DigestLineAsync(tenantId, parents[(tenantId, row.PostmortemId)]!, zone, now, cancellationToken).ConfigureAwait(false);
                    if (live)
                    {
                        lines.Add(line);
                        keep.AddRange(digestRows.Where(r => r.PostmortemId == row.PostmortemId));
                    }
                }

                foreach (var gone in digestRows.Except(keep))
                {
                    // No live action left there: off the digest until an action is written again.
                    await due.DeleteAsync(gone, cancellationToken).ConfigureAwait(false);
                }

                if (lines.Count > 0)
                {
                    var payload = new FacilitatorDigest(facilitatorId, occasion.Key, zone, lines);
                    if (await RecordAsync(DigestOperation, tenantId, lines[0].PostmortemId, $"digest|{facilitatorId}|{occasion.Key}", payload, now, cancellationToken).ConfigureAwait(false))
                    {
                        recorded++;
                    }
                }

                handled.Add(occasion.Key);
            }

            var next = ReminderPlanner.NextDigestDate(zone, now, settings, handled);
            foreach (var row in keep)
            {
                await due.MoveAsync(row, next, cancellationToken).ConfigureAwait(false);
            }
        }

        if (recorded > 0)
        {
            LogRecorded(logger, recorded);
            signal.Pulse();
        }

        return recorded;

        async Task<string?> ZoneAsync(string tenantId, string objectId)
        {
            if (!zones.TryGetValue((tenantId, objectId), out string? zone))
            {
                zones[(tenantId, objectId)] = zone = (await contacts.GetAsync(tenantId, objectId, cancellationToken).ConfigureAwait(false))?.TimeZone;
            }

            return zone;
        }

        async Task<Postmortem?> ParentAsync(string tenantId, string postmortemId)
        {
            if (!parents.TryGetValue((tenantId, postmortemId), out var parent))
            {
                parents[(tenantId, postmortemId)] = parent = await postmortems.GetAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
            }

            return parent;
        }
    }

    /// <summary>
    /// Open, overdue and done in the last 7 days: one partition query of that postmortem's actions; live: whether an
    /// open or in-progress action has an owner (a postmortem is in the digest while it has one).
    /// </summary>
    private async Task<(DigestLine Line, bool Live)> DigestLineAsync(string tenantId, Postmortem postmortem, string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = await actions.ListAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(TimeZones.InZone(now, zone).DateTime);
        int open = all.Count(a => a.Status is ActionStatus.Open or ActionStatus.InProgress);
        int overdue = all.Count(a => ActionItemRules.IsOverdue(a, today));
        int done = all.Count(a => a.Status == ActionStatus.Done && a.UpdatedAt is { } at && now - at <= TimeSpan.FromDays(7));
        bool live = all.Any(a => a.Status is ActionStatus.Open or ActionStatus.InProgress && a.Owner is { } owner && Ids.IsValidKeyPart(owner.ObjectId));
        return (new DigestLine(postmortem.Id, postmortem.Title, open, overdue, done), live);
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
