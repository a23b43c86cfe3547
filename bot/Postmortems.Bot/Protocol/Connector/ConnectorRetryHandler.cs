using System.Net;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Postmortems.Bot.Protocol.Connector;

/// <summary>
/// Retries what Teams asks to retry (PROTOCOL.md C.4, msteams-docs bots/how-to/rate-limit.md): 429 and 412, 500,
/// 502, 503, 504, network errors and attempts that time out; up to <see cref="MaxRetries"/> times, waiting as
/// Retry-After says (seconds or an HTTP date), else exponential backoff with jitter, never longer than
/// <see cref="MaxDelay"/> at once. Waits go through <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ConnectorRetryHandler : DelegatingHandler
{
    public const int MaxRetries = 3;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take, answer body included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly ILogger<ConnectorRetryHandler> _logger;

    public ConnectorRetryHandler(TimeProvider time, ILogger<ConnectorRetryHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Set on a request that must reach Teams at most once (a reminder): a try that may have arrived (a timeout, a
    /// connection lost after sending) is then not repeated. Answers (429, 412, 5xx) and failures to connect still are.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> AtMostOnce = new("Postmortems.Connector.AtMostOnce");

    /// <summary>Every failure except one where the request never left: no connection, or no address for the host.</summary>
    private static bool MayHaveArrived(Exception failure) =>
        failure is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is not null)
        {
            // Every attempt sends the same bytes.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (int retry = 0; ; retry++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            using (var timeout = new CancellationTokenSource(AttemptTimeout, _time))
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                    await response.Content.LoadIntoBufferAsync(attempt.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = e;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
                {
                    failure = new TimeoutException($"The Bot Connector did not answer within {AttemptTimeout.TotalSeconds:0} s.", e);
                }
            }

            if (failure is not null)
            {
                response?.Dispose();
                if (retry >= MaxRetries || (MayHaveArrived(failure) && request.Options.TryGetValue(AtMostOnce, out bool once) && once))
                {
                    if (failure is HttpRequestException)
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    throw new HttpRequestException(failure.Message, failure);
                }
            }
            else if (!IsRetryable(response!.StatusCode) || retry >= MaxRetries
                || await NamesPermanentErrorAsync(response, cancellationToken).ConfigureAwait(false))
            {
                return response;
            }

            var delay = Delay(response, retry);
            LogRetry(_logger, request.Method, request.RequestUri?.AbsolutePath, response is null ? failure!.Message : $"{(int)response.StatusCode}", delay.TotalMilliseconds, retry + 1);
            response?.Dispose();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An error whose code says retrying cannot help, whatever the status: "UserNotFound" (the person is not known to
    /// Teams; seen with 5xx statuses too). The body is already buffered, so reading it here costs nothing.
    /// </summary>
    private static async Task<bool> NamesPermanentErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!body.Contains("UserNotFound", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == System.Text.Json.JsonValueKind.String
                && string.Equals(code.GetString(), "UserNotFound", StringComparison.OrdinalIgnoreCase);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private TimeSpan Delay(HttpResponseMessage? response, int retry)
    {
        var retryAfter = response?.Headers.RetryAfter;
        TimeSpan delay;
        if (retryAfter?.Delta is { } delta)
        {
            delay = delta;
        }
        else if (retryAfter?.Date is { } date)
        {
            delay = date - _time.GetUtcNow();
        }
        else
        {
            // 1 s, 2 s, 4 s, each shortened by up to half at random so throttled callers do not retry in step.
            var exponential = BaseDelay * Math.Pow(2, retry);
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
            delay = exponential * (0.5 + (Random.Shared.NextDouble() * 0.5));
#pragma warning restore CA5394
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot Connector {Method} {Path} failed ({Reason}); retry {Retry} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, HttpMethod method, string? path, string reason, double delayMs, int retry);
}
