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
/// Runs in every app instance: every <see cref="ReminderOptions.ScanInterval"/> it reads the live actions and records
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

    /// <summary>One scan: records every reminder due now; returns how many were new. Tests call it directly.</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var zones = new Dictionary<(string, string), string?>();
        var parents = new Dictionary<(string, string), Postmortem?>();
        var facilitated = new Dictionary<(string Tenant, string Facilitator), HashSet<string>>();
        int recorded = 0;

        await foreach (var live in index.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var action = live.Action;
            var parent = await ParentAsync(live.TenantId, action.PostmortemId).ConfigureAwait(false);
            if (parent is not null)
            {
                var key = (live.TenantId, parent.Facilitator.ObjectId);
                if (!facilitated.TryGetValue(key, out var ids))
                {
                    facilitated[key] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(parent.Id);
            }

            if (action.Owner is not { } owner || action.DueDate is not { } dueDate)
            {
                continue;
            }

            // The owner's zone as Teams last reported it; unknown (they never wrote to the bot): the facilitator's, who
            // is usually on the same team; neither known: UTC.
            string? zone = await ZoneAsync(live.TenantId, owner.ObjectId).ConfigureAwait(false);
            if (zone is null && parent is not null)
            {
                zone = await ZoneAsync(live.TenantId, parent.Facilitator.ObjectId).ConfigureAwait(false);
            }

            zone ??= "UTC";
            foreach (var occasion in ReminderPlanner.DueForAction(dueDate, action.Status, zone, now, settings))
            {
                var payload = new ActionReminder(action.Id, owner.ObjectId, occasion.Key, dueDate, occasion.SendAt, zone);
                if (await RecordAsync(SendOperation, live.TenantId, action.PostmortemId, $"{action.PostmortemId}|{action.Id}|{occasion.Key}", payload, now, cancellationToken).ConfigureAwait(false))
                {
                    recorded++;
                }
            }
        }

        foreach (var ((tenantId, facilitatorId), postmortemIds) in facilitated)
        {
            string zone = await ZoneAsync(tenantId, facilitatorId).ConfigureAwait(false) ?? "UTC";
            if (ReminderPlanner.DueDigest(zone, now, settings) is not { } occasion)
            {
                continue;
            }

            var lines = new List<DigestLine>();
            foreach (string postmortemId in postmortemIds.Order(StringComparer.Ordinal))
            {
                var parent = parents[(tenantId, postmortemId)]!;
                lines.Add(await DigestLineAsync(tenantId, parent, zone, now, cancellationToken).ConfigureAwait(false));
            }

            var payload = new FacilitatorDigest(facilitatorId, occasion.Key, zone, lines);
            if (await RecordAsync(DigestOperation, tenantId, postmortemIds.Order(StringComparer.Ordinal).First(), $"digest|{facilitatorId}|{occasion.Key}", payload, now, cancellationToken).ConfigureAwait(false))
            {
                recorded++;
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

    /// <summary>Open, overdue and done in the last 7 days: one partition query of that postmortem's actions.</summary>
    private async Task<DigestLine> DigestLineAsync(string tenantId, Postmortem postmortem, string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = await actions.ListAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(TimeZones.InZone(now, zone).DateTime);
        int open = all.Count(a => a.Status is ActionStatus.Open or ActionStatus.InProgress);
        int overdue = all.Count(a => ActionItemRules.IsOverdue(a, today));
        int done = all.Count(a => a.Status == ActionStatus.Done && a.UpdatedAt is { } at && now - at <= TimeSpan.FromDays(7));
        return new DigestLine(postmortem.Id, postmortem.Title, open, overdue, done);
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
