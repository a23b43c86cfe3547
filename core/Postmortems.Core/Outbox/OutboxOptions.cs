using System.ComponentModel.DataAnnotations;

namespace Postmortems.Core.Outbox;

/// <summary>Settings under "Outbox": how the background worker runs the jobs (Graph writes, Teams reminder messages).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Off only for tests that drive the worker themselves.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each instance looks for due items when nothing woke it.</summary>
    [Range(0.05, 300)]
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>How long a claimed item is held; after that (a crashed instance) another instance may take it.</summary>
    [Range(1, 3600)]
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>One try's time limit, the service calls included. Kept well under the lease so a live sender never loses it.</summary>
    [Range(0.5, 600)]
    public double AttemptTimeoutSeconds { get; set; } = 30;

    /// <summary>Tries before an item is dead-lettered.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure when the service gave no Retry-After; it doubles with each try.</summary>
    [Range(0, 3600)]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(0, 86400)]
    public double MaxRetrySeconds { get; set; } = 600;

    /// <summary>Changes within this window are sent as one update (e.g. several actions edited in a row).</summary>
    [Range(0, 3600)]
    public double CoalesceSeconds { get; set; } = 10;

    /// <summary>How long sent and dead-lettered items are kept (for diagnosis) before they are deleted.</summary>
    [Range(1, 365)]
    public int RetentionDays { get; set; } = 14;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(AttemptTimeoutSeconds);

    public TimeSpan CoalesceWindow => TimeSpan.FromSeconds(CoalesceSeconds);

    /// <summary>Exponential backoff: first, 2×first, 4×first… capped; ±20 % jitter so instances do not retry in step.</summary>
    public TimeSpan BackoffAfter(int attempts, double jitter)
    {
        double seconds = FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        seconds = Math.Min(seconds, MaxRetrySeconds) * (1 + (0.4 * jitter) - 0.2);
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }
}
