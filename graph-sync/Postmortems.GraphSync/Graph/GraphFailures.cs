using Postmortems.Core.Outbox;
using System.Globalization;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.GraphSync.Graph;

/// <summary>What a Graph call was trying to do, in words for the failure messages.</summary>
/// <param name="Forbidden">The 403 message: what the app isn't allowed to do and which permission an admin grants.</param>
/// <param name="NotFound">The 404 message: what was not there and what to check.</param>
internal sealed record GraphCallContext(string Forbidden, string NotFound);

/// <summary>Turns whatever a Graph SDK call threw into a <see cref="ExternalCallException"/> the outbox can act on.</summary>
internal static class GraphFailures
{
    /// <summary>
    /// Runs a Graph call. Caller cancellation stays an <see cref="OperationCanceledException"/>; everything else
    /// becomes a <see cref="ExternalCallException"/> (see <see cref="Translate"/>).
    /// </summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, GraphCallContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not ExternalCallException && !(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Translate(error, context, time);
        }
    }

    public static ExternalCallException Translate(Exception error, GraphCallContext context, TimeProvider time)
    {
        switch (error)
        {
            case ApiException api:
                return FromStatus(api, context, time);
            case HttpRequestException:
                return new ExternalCallException("Microsoft Graph could not be reached. It will be tried again.", isTransient: true, innerException: error);
            case OperationCanceledException:
                // Not the caller's token (CallAsync lets that through): the HttpClient timeout.
                return new ExternalCallException("Microsoft Graph did not answer in time. It will be tried again.", isTransient: true, innerException: error);
            default:
                return new ExternalCallException($"The Graph call failed: {error.Message}", isTransient: false, innerException: error);
        }
    }

    private static ExternalCallException FromStatus(ApiException error, GraphCallContext context, TimeProvider time)
    {
        int status = error.ResponseStatusCode;
        Core.Telemetry.ProductTelemetry.GraphRefused(status);
        string detail = error is ODataError { Error: { } main } ? $"{main.Code}: {main.Message}" : error.Message;
        var retryAfter = ReadRetryAfter(error.ResponseHeaders, time);
        (string message, bool transient) = status switch
        {
            429 => ("Microsoft Graph is busy and asked us to slow down. It will be tried again.", true),
            408 or 500 or 502 or 503 or 504 => ($"Microsoft Graph had a temporary problem ({status}). It will be tried again.", true),
            400 => ($"Microsoft Graph refused the request as invalid ({detail}). Please report this: it needs a fix in the app.", false),
            401 => ("The app couldn't sign in to Microsoft Graph. An admin needs to check its credentials (Graph:ClientId, Graph:ClientSecret or the managed identity).", false),
            403 => (context.Forbidden, false),
            404 => (context.NotFound, false),
            >= 500 => ($"Microsoft Graph failed ({status}: {detail}). It will be tried again.", true),
            _ => ($"Microsoft Graph refused the request ({status}: {detail}).", false),
        };
        return new ExternalCallException(message, transient, transient ? retryAfter : null, status, error);
    }

    /// <summary>Retry-After as seconds ("7") or as an HTTP date; null when absent or unreadable.</summary>
    private static TimeSpan? ReadRetryAfter(IDictionary<string, IEnumerable<string>> headers, TimeProvider time)
    {
        string? value = headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            var wait = when - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
