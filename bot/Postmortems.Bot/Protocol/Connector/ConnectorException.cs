using System.Net;

namespace Postmortems.Bot.Protocol.Connector;

/// <summary>
/// The Bot Connector refused a request (a final status other than 200/201/202, after retries), or no answer came.
/// Teams explains refusals as <c>{ "error": { "code", "message" } }</c>, e.g. 403 MessageWritesBlocked (the user
/// blocked the bot or the app was removed) or 413 MessageSizeTooBig.
/// </summary>
public class ConnectorException : Exception
{
    public ConnectorException()
    {
    }

    public ConnectorException(string message)
        : base(message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConnectorException(string message, HttpStatusCode? statusCode, string? errorCode, string? errorMessage, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>The final HTTP status; null when no answer arrived (network error or timeout after the retries).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The error body's error.code, e.g. "MessageWritesBlocked".</summary>
    public string? ErrorCode { get; }

    /// <summary>The error body's error.message.</summary>
    public string? ErrorMessage { get; }
}

/// <summary>
/// A request was about to go to a service URL that did not come from an authenticated activity. Nothing was sent,
/// so the bot's token did not leave.
/// </summary>
public sealed class UntrustedServiceUrlException : Exception
{
    public UntrustedServiceUrlException()
    {
    }

    public UntrustedServiceUrlException(string message)
        : base(message)
    {
    }

    public UntrustedServiceUrlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private UntrustedServiceUrlException(string message, string? serviceUrl)
        : base(message)
    {
        ServiceUrl = serviceUrl;
    }

    /// <summary>The refused service URL.</summary>
    public string? ServiceUrl { get; }

    public static UntrustedServiceUrlException For(string? serviceUrl) =>
        new($"The service URL '{serviceUrl}' is not trusted: it did not arrive in an authenticated activity.", serviceUrl);
}
