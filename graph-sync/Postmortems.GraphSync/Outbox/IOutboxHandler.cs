namespace Postmortems.GraphSync.Outbox;

/// <summary>
/// Sends one kind of outbox item. It must be safe to run again for the same item (after a timeout, a crash or a lost
/// answer): check what was already done before doing it again. Throws <see cref="Meetings.GraphCallException"/> on
/// failure; returns the result to keep with the item (JSON, or null).
/// </summary>
public interface IOutboxHandler
{
    string Operation { get; }

    Task<string?> SendAsync(OutboxItem item, CancellationToken cancellationToken);
}

/// <summary>Told when an item has been sent or given up on, e.g. to post the meeting links back to the chat.</summary>
public interface IOutboxObserver
{
    Task SentAsync(OutboxItem item, CancellationToken cancellationToken);

    Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken);
}
