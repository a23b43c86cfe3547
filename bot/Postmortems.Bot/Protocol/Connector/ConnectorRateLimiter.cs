namespace Postmortems.Bot.Protocol.Connector;

/// <summary>What a Connector call counts against in Teams' rate limits.</summary>
public enum ConnectorOperation
{
    /// <summary>Send, reply and update: messages written to a thread.</summary>
    Send,

    CreateConversation,

    /// <summary>Roster reads (members, paged members).</summary>
    ReadMembers,
}

/// <summary>
/// Keeps the bot under Teams' per-thread limits so callers wait here instead of being answered 429. Limits per bot
/// per thread (PROTOCOL.md C.4, msteams-docs bots/how-to/rate-limit.md): send and create 7/1 s, 8/2 s, 60/30 s,
/// 1800/h; member reads 14/1 s, 16/2 s, 120/30 s, 3600/h. Each call reserves the earliest moment all its windows
/// allow (a sliding log per thread and kind), so callers of one thread go out in the order they asked; a cancelled
/// wait gives its slot back. The global 50 requests/s per app per tenant is far above what this bot sends; should it
/// be reached, the 429 is handled by <see cref="ConnectorRetryHandler"/>.
/// </summary>
public sealed class ConnectorRateLimiter
{
    private static readonly Window[] WriteWindows =
    [
        new(7, TimeSpan.FromSeconds(1)), new(8, TimeSpan.FromSeconds(2)), new(60, TimeSpan.FromSeconds(30)), new(1800, TimeSpan.FromHours(1)),
    ];

    private static readonly Window[] ReadWindows =
    [
        new(14, TimeSpan.FromSeconds(1)), new(16, TimeSpan.FromSeconds(2)), new(120, TimeSpan.FromSeconds(30)), new(3600, TimeSpan.FromHours(1)),
    ];

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SlotLog> _logs = new(StringComparer.Ordinal);
    private TimeSpan _lastSweep;

    public ConnectorRateLimiter(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>
    /// Waits until a call of <paramref name="operation"/> on <paramref name="threadId"/> (a conversation id, or for
    /// creating a 1:1 the member id) is within the limits, and counts it.
    /// </summary>
    public async Task WaitAsync(ConnectorOperation operation, string threadId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var windows = operation == ConnectorOperation.ReadMembers ? ReadWindows : WriteWindows;
        string key = $"{operation}|{threadId}";
        TimeSpan now;
        TimeSpan slot;
        lock (_gate)
        {
            now = Now();
            Sweep(now);
            var log = Log(key, windows, now);
            slot = EarliestSlot(now, log.Slots, windows);
            log.Slots.Add(slot);
        }

        if (slot <= now)
        {
            return;
        }

        try
        {
            await Task.Delay(slot - now, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (_logs.TryGetValue(key, out var log))
                {
                    log.Slots.Remove(slot);
                }
            }

            throw;
        }
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);

    /// <summary>The key's log, without the slots too old to matter to any of its windows.</summary>
    private SlotLog Log(string key, Window[] windows, TimeSpan now)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            log = new SlotLog(windows.Max(w => w.Period));
            _logs[key] = log;
        }

        log.Forget(now);
        return log;
    }

    /// <summary>The earliest t ≥ now, and not before a slot already reserved, at which every window has room.</summary>
    private static TimeSpan EarliestSlot(TimeSpan now, List<TimeSpan> slots, Window[] windows)
    {
        var slot = slots.Count > 0 && slots[^1] > now ? slots[^1] : now;
        foreach (var window in windows)
        {
            // The log is sorted and ends at or before slot: the limit-th newest entry must be a full window old.
            // Moving later for one window never takes another window out of bounds, so one pass is enough.
            if (slots.Count >= window.Limit && slots[^window.Limit] + window.Period > slot)
            {
                slot = slots[^window.Limit] + window.Period;
            }
        }

        return slot;
    }

    /// <summary>Forgets idle threads, at most once a minute.</summary>
    private void Sweep(TimeSpan now)
    {
        if (now - _lastSweep < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _lastSweep = now;
        foreach (var (key, log) in _logs.ToList())
        {
            log.Forget(now);
            if (log.Slots.Count == 0)
            {
                _logs.Remove(key);
            }
        }
    }

    private readonly record struct Window(int Limit, TimeSpan Period);

    /// <summary>Reserved slots of one key, oldest first.</summary>
    private sealed class SlotLog(TimeSpan keep)
    {
        public List<TimeSpan> Slots { get; } = [];

        public void Forget(TimeSpan now)
        {
            int old = 0;
            while (old < Slots.Count && Slots[old] + keep <= now)
            {
                old++;
            }

            Slots.RemoveRange(0, old);
        }
    }
}
