namespace Postmortems.Core.Outbox;

/// <summary>
/// Sends one kind of outbox item. It must be safe to run again for the same item (after a timeout, a crash or a lost
/// answer): check what was already done before doing it again. Throws <see cref="ExternalCallException"/> on
/// failure; returns the result to keep with the item (JSON, or null).
/// </summary>
public interface IOutboxHandler
{
    string Operation { get; }

    Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken);
}

/// <summary>
/// A send that must reach people at most once, for which the service offers no idempotency key (a Teams message
/// through the Bot Connector: posting the same activity twice shows it twice). The worker stores
/// <see cref="OutboxItem.DeliveryStartedAt"/> when the handler calls <c>deliveryStarting</c>, right before the one
/// call that delivers; a try that then stops without recording its outcome (a crash, a timeout, no answer) is never
/// repeated. The trade-off, chosen for reminders: a message lost in such a crash stays lost (a reminder comes again
/// at its next occasion), rather than someone getting it twice. A refusal with an answer (4xx, 429, 5xx) means
/// nothing was delivered, so it is retried as usual.
/// </summary>
public interface IAtMostOnceOutboxHandler : IOutboxHandler
{
    /// <summary>
    /// Sends the item; calls <paramref name="deliveryStarting"/> once, right before the call that delivers (after
    /// preparatory calls that are safe to repeat). When it throws, the item is no longer this instance's: do not deliver.
    /// </summary>
    Task<string?> SendAsync(OutboxItem item, Func<CancellationToken, Task> deliveryStarting, CancellationToken cancellationToken);
}

/// <summary>The worker lost an item's lease before delivering it (another instance took it over): nothing was sent.</summary>
public sealed class OutboxLeaseLostException : Exception
{
    public OutboxLeaseLostException()
        : base("Another instance took this outbox item over; it was not sent from here.")
    {
    }

    public OutboxLeaseLostException(string message)
        : base(message)
    {
    }

    public OutboxLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Told when an item has been sent or given up on, e.g. to post the meeting links back to the chat.</summary>
public interface IOutboxObserver
{
    Task SentAsync(OutboxItem item, CancellationToken cancellationToken);

    Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken);
}
