using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Postmortems.Testing;

/// <summary>
/// The requests a local stand-in server received, in arrival order, and waiting for one that matches. Shared by
/// <see cref="RecordingHttpServer"/> and <see cref="FakeGraphServer"/>. Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(Func<RecordedRequest, bool> Match, TaskCompletionSource<RecordedRequest> Found)> _waiters = [];

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Reads a request as it arrived (raw target, headers, body as UTF-8 text) and records it.</summary>
    public async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var request = new RecordedRequest(context.Request.Method, target, headers, body);
        lock (_gate)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.Where(w => w.Match(request)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(request);
            }
        }

        return request;
    }

    /// <summary>The first request (already received or still to come) that matches; throws TimeoutException after <paramref name="timeout"/>.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        TaskCompletionSource<RecordedRequest> found;
        lock (_gate)
        {
            if (_requests.FirstOrDefault(match) is { } existing)
            {
                return existing;
            }

            found = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            string seen = string.Join("\n", Requests.Select(r => $"  {r.Method} {r.PathAndQuery}"));
            throw new TimeoutException($"No matching request within {timeout}. Received:\n{seen}");
        }
    }
}
