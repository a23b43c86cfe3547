namespace Postmortems.Core.Outbox;

/// <summary>
/// A call to another service that failed (Microsoft Graph, the Bot Connector, a local file write): how an outbox job
/// reports a failed try. <see cref="IsTransient"/>: worth trying again (429, 5xx, a timeout, the network);
/// <see cref="RetryAfter"/>: how long the service asked us to wait, when it said; <see cref="Status"/>: its HTTP
/// status, when it answered (an answer means nothing was done, so even an at-most-once job may try again).
/// </summary>
public sealed class ExternalCallException : Exception
{
    public ExternalCallException()
    {
    }

    public ExternalCallException(string message)
        : base(message)
    {
    }

    public ExternalCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExternalCallException(string message, bool isTransient, TimeSpan? retryAfter = null, int? status = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
        RetryAfter = retryAfter;
        Status = status;
    }

    public bool IsTransient { get; }

    public TimeSpan? RetryAfter { get; }

    public int? Status { get; }
}
