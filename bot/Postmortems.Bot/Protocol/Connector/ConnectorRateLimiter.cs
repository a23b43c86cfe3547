using System.Threading.RateLimiting;

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

/// <summary>One Connector request as the rate limits see it: the kind of call and the thread it counts against.</summary>
/// <param name="ThreadId">A conversation id, or for creating a 1:1 the member id.</param>
public readonly record struct ConnectorCall(ConnectorOperation Operation, string ThreadId);

/// <summary>
/// Keeps the bot under Teams' per-thread limits so requests wait here instead of being answered 429. Limits per bot
/// per thread (PROTOCOL.md C.4, msteams-docs bots/how-to/rate-limit.md): send and create 7/1 s, 8/2 s, 60/30 s,
/// 1800/h; member reads 14/1 s, 16/2 s, 120/30 s, 3600/h. Built from System.Threading.RateLimiting: one sliding-window
/// limiter per window, partitioned by kind and thread, chained so a request needs a permit from every window; waiters
/// queue oldest first, a cancelled wait leaves its queue without taking a permit, and idle threads are forgotten by the
/// partitioned limiters. The resilience pipeline (<see cref="ConnectorResilience"/>) asks here before every attempt,
/// retries included, since Teams counts those too.
/// <para>
/// A sliding window counts in segments, and a permit comes back when its whole segment leaves the window: each
/// window is one segment longer than Teams' period, so a permit is never reused sooner than the period after it was
/// taken (at most one segment later: a quarter second on the short windows). These limiters run on the real clock
/// (they take no TimeProvider). The global 50 requests/s per app per tenant is not limited here: it is shared by every
/// instance of the app, so one process cannot keep it, and a 429 for it is retried as Retry-After says.
/// </para>
/// </summary>
public sealed class ConnectorRateLimiter : IAsyncDisposable, IDisposable
{
    /// <summary>How many requests may wait for one thread and kind before more are refused at once.</summary>
    public const int QueueLimit = 1_000;

    private static readonly Window[] Windows =
    [
        new(TimeSpan.FromSeconds(1), Segments: 4, WriteLimit: 7, ReadLimit: 14),
        new(TimeSpan.FromSeconds(2), Segments: 8, WriteLimit: 8, ReadLimit: 16),
        new(TimeSpan.FromSeconds(30), Segments: 10, WriteLimit: 60, ReadLimit: 120),
        new(TimeSpan.FromHours(1), Segments: 12, WriteLimit: 1800, ReadLimit: 3600),
    ];

    private readonly PartitionedRateLimiter<ConnectorCall>[] _windows;
    private readonly PartitionedRateLimiter<ConnectorCall> _limiter;

    public ConnectorRateLimiter()
    {
        _windows = [.. Windows.Select(PerThread)];
        _limiter = PartitionedRateLimiter.CreateChained(_windows);
    }

    /// <summary>
    /// Waits until <paramref name="call"/> is within every window and counts it. The lease is not acquired when too
    /// many requests already wait for the same thread (<see cref="QueueLimit"/>).
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(ConnectorCall call, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(call.ThreadId, nameof(call));
        return _limiter.AcquireAsync(call, 1, cancellationToken);
    }

    /// <summary>For tests: each window's statistics for <paramref name="call"/>, shortest window first.</summary>
    internal IReadOnlyList<RateLimiterStatistics?> Statistics(ConnectorCall call) => [.. _windows.Select(w => w.GetStatistics(call))];

    public void Dispose()
    {
        _limiter.Dispose();
        foreach (var window in _windows)
        {
            window.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _limiter.DisposeAsync().ConfigureAwait(false);
        foreach (var window in _windows)
        {
            await window.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static PartitionedRateLimiter<ConnectorCall> PerThread(Window window) =>
        PartitionedRateLimiter.Create<ConnectorCall, ConnectorCall>(call => RateLimitPartition.GetSlidingWindowLimiter(call, c => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = c.Operation == ConnectorOperation.ReadMembers ? window.ReadLimit : window.WriteLimit,
            Window = window.Period + (window.Period / window.Segments),
            SegmentsPerWindow = window.Segments + 1,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

    private readonly record struct Window(TimeSpan Period, int Segments, int WriteLimit, int ReadLimit);
}
