using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Postmortems.Bot.Protocol.Connector;

/// <summary>
/// The Connector HttpClient's resilience pipeline (Microsoft.Extensions.Http.Resilience, Polly 8), outermost first:
/// <list type="number">
/// <item>one overall timeout per call: <see cref="TotalTimeout"/>, or <see cref="WhileTeamsWaitsTimeout"/> for a call
/// Teams is waiting on (<see cref="WhileTeamsWaits"/>);</item>
/// <item>retries of what Teams asks to retry (PROTOCOL.md C.4): 429, 412, 500, 502, 503, 504, network errors and
/// attempts that time out, up to <see cref="MaxRetries"/> times, waiting as Retry-After says (seconds or an HTTP date,
/// read on the injected clock), else 1 s, 2 s, 4 s each shortened by up to half at random, never longer than
/// <see cref="MaxDelay"/>;</item>
/// <item>Teams' per-thread rate limits (<see cref="ConnectorRateLimiter"/>), before every attempt;</item>
/// <item>a timeout per attempt (<see cref="AttemptTimeout"/>), answer body included.</item>
/// </list>
/// Two rules are the product's own: a request marked <see cref="AtMostOnce"/> (a reminder) is not repeated after a try
/// that may have reached Teams (no answer in time, connection lost after sending); and an answer whose error code is
/// "UserNotFound" is never retried, whatever its status.
/// </summary>
public static class ConnectorResilience
{
    public const string PipelineName = "connector";

    public const int MaxRetries = 3;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take, answer body included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A call nobody waits on in Teams (outbox jobs, notifications) may take this long, waits and retries included:
    /// room for every attempt and wait above.
    /// </summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// A call made while Teams waits for the bot's answer (a reply to a message, a roster read for a card) gets this
    /// long in all, rate-limit waits and retries included: with the storage deadline (10 s by default) it stays inside
    /// Teams' 15 s limit. A Retry-After longer than this is not waited for.
    /// </summary>
    public static readonly TimeSpan WhileTeamsWaitsTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Set on a request that must reach Teams at most once (a reminder): a try that may have arrived (a timeout, a
    /// connection lost after sending) is then not repeated. Answers (429, 412, 5xx) and failures to connect still are.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> AtMostOnce = new("Postmortems.Connector.AtMostOnce");

    /// <summary>Set on a request Teams is waiting on: it gets <see cref="WhileTeamsWaitsTimeout"/> in all.</summary>
    public static readonly HttpRequestOptionsKey<bool> WhileTeamsWaits = new("Postmortems.Connector.WhileTeamsWaits");

    /// <summary>What the request counts against in the rate limits; a request without it is not limited.</summary>
    public static readonly HttpRequestOptionsKey<ConnectorCall> Call = new("Postmortems.Connector.Call");

    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Builds the pipeline; the clock and the rate limiter come from the services.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, TimeProvider time, ConnectorRateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(limiter);
        builder.TimeProvider = time;
        builder
            .AddTimeout(new HttpTimeoutStrategyOptions
            {
                Name = "total",
                TimeoutGenerator = args => ValueTask.FromResult(IsSet(args.Context, WhileTeamsWaits) ? WhileTeamsWaitsTimeout : TotalTimeout),
            })
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                // Read here rather than by ShouldRetryAfterHeader, whose HTTP-date reading uses the system clock.
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ShouldRetryAsync(args, time),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.Outcome.Result, args.AttemptNumber, time)),
            })
            .AddRateLimiter(new HttpRateLimiterStrategyOptions
            {
                Name = "teams-limits",
                RateLimiter = args => args.Context.GetRequestMessage() is { } request && request.Options.TryGetValue(Call, out var call)
                    ? limiter.AcquireAsync(call, args.Context.CancellationToken)
                    : ValueTask.FromResult<System.Threading.RateLimiting.RateLimitLease>(NotLimited.Lease),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = AttemptTimeout });
    }

    private static bool IsSet(ResilienceContext context, HttpRequestOptionsKey<bool> key) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(key, out bool value) && value;

    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args, TimeProvider time)
    {
        bool atMostOnce = IsSet(args.Context, AtMostOnce);
        switch (args.Outcome)
        {
            case { Exception: HttpRequestException failure }:
                return !(atMostOnce && MayHaveArrived(failure));
            case { Exception: TimeoutRejectedException }:
                // The attempt's own timeout (the overall one sits outside the retries): the request may have arrived.
                return !atMostOnce;
            case { Result: { } response } when IsRetryable(response.StatusCode):
                if (IsSet(args.Context, WhileTeamsWaits) && Delay(response, args.AttemptNumber, time) > WhileTeamsWaitsTimeout)
                {
                    return false;
                }

                return !await NamesPermanentErrorAsync(response, args.Context.CancellationToken).ConfigureAwait(false);
            default:
                return false;
        }
    }

    /// <summary>Every failure except one where the request never left: no connection, or no address for the host.</summary>
    private static bool MayHaveArrived(HttpRequestException failure) =>
        failure.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError);

    /// <summary>
    /// An error whose code says retrying cannot help, whatever the status: "UserNotFound" (the person is not known to
    /// Teams; seen with 5xx statuses too). The body is already buffered (<see cref="BufferedAnswerHandler"/>).
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
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && string.Equals(code.GetString(), "UserNotFound", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Retry-After (seconds or an HTTP date, on <paramref name="time"/>), else jittered exponential backoff; capped.</summary>
    private static TimeSpan Delay(HttpResponseMessage? response, int retry, TimeProvider time)
    {
        var retryAfter = response?.Headers.RetryAfter;
        TimeSpan delay;
        if (retryAfter?.Delta is { } delta)
        {
            delay = delta;
        }
        else if (retryAfter?.Date is { } date)
        {
            delay = date - time.GetUtcNow();
        }
        else
        {
            // 1 s, 2 s, 4 s, each shortened by up to half at random so throttled callers do not retry in step. Polly's
            // own exponential jitter (decorrelated) may also lengthen a wait, beyond what Teams' guidance describes.
            var exponential = BaseDelay * Math.Pow(2, retry);
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
            delay = exponential * (0.5 + (Random.Shared.NextDouble() * 0.5));
#pragma warning restore CA5394
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
    }

    /// <summary>Describes a Connector failure that ended without an answer, for <see cref="ConnectorException"/>.</summary>
    internal static string Describe(Exception failure) => failure switch
    {
        TimeoutRejectedException timeout => string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.Timeout.TotalSeconds:0.#} s"),
        RateLimiterRejectedException => "too many messages are already waiting for this conversation",
        _ => failure.Message,
    };

    /// <summary>A lease for requests outside the rate limits.</summary>
    private sealed class NotLimited : System.Threading.RateLimiting.RateLimitLease
    {
        public static readonly NotLimited Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>
/// Reads the answer's body inside the attempt, so the attempt timeout covers it and the retry rules can read the
/// error code. The only hand-written handler left on the Connector client.
/// </summary>
internal sealed class BufferedAnswerHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
