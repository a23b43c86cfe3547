namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// A Graph call (or a local file write) that failed. <see cref="IsTransient"/>: worth trying again (429, 5xx, a
/// timeout, the network); <see cref="RetryAfter"/>: how long the service asked us to wait, when it said.
/// </summary>
public sealed class GraphCallException : Exception
{
    public GraphCallException()
    {
    }

    public GraphCallException(string message)
        : base(message)
    {
    }

    public GraphCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GraphCallException(string message, bool isTransient, TimeSpan? retryAfter = null, int? status = null, Exception? innerException = null)
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
