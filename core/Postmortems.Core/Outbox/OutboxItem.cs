namespace Postmortems.Core.Outbox;

public enum OutboxStatus
{
    /// <summary>Waiting to be sent (again) at <see cref="OutboxItem.NextAttemptAt"/>.</summary>
    Pending,

    Sent,

    /// <summary>Given up on: a refusal that retrying cannot fix, or too many failed tries. The facilitator is told.</summary>
    DeadLettered,
}

/// <summary>
/// One job for another service (a Graph write, a Teams message), recorded before it is sent so that nothing a user
/// confirmed is lost if the app stops. The outbox knows nothing of the services: an <see cref="IOutboxHandler"/> per
/// <see cref="Operation"/> does the work.
/// <see cref="Payload"/> is the operation's own JSON; <see cref="Result"/> is what the send produced.
/// </summary>
public sealed record OutboxItem
{
    public required string Id { get; init; }

    /// <summary>Which <see cref="IOutboxHandler"/> sends it, e.g. "meeting.send".</summary>
    public required string Operation { get; init; }

    public required string TenantId { get; init; }

    public required string PostmortemId { get; init; }

    /// <summary>The chat to tell when it is sent or given up on.</summary>
    public string? ConversationId { get; init; }

    public required string Payload { get; init; }

    public OutboxStatus Status { get; init; } = OutboxStatus.Pending;

    /// <summary>Tries made so far (each a real attempt to send).</summary>
    public int Attempts { get; init; }

    public required DateTimeOffset NextAttemptAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>
    /// Set (and stored) just before an at-most-once item is handed to Teams (<see cref="IAtMostOnceOutboxHandler"/>):
    /// a claimed item that already has it was possibly delivered by a try that never recorded its outcome, so it is
    /// not sent again. Cleared when a try ends with a refusal (nothing was delivered) and is retried.
    /// </summary>
    public DateTimeOffset? DeliveryStartedAt { get; init; }

    public string? Result { get; init; }

    /// <summary>Raised each time the item is asked for again while waiting or being sent (coalesced requests).</summary>
    public int Version { get; init; }

    /// <summary>The worker instance that holds the item, until <see cref="LeaseUntil"/>.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset LeaseUntil { get; init; } = DateTimeOffset.UnixEpoch;

    public string? ETag { get; init; }
}
