using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.Testing;

/// <summary>One request as the server received it.</summary>
/// <param name="Method">The HTTP method, e.g. "POST".</param>
/// <param name="PathAndQuery">The request target exactly as sent (still percent-encoded), e.g. "/v3/conversations/a%3A1/activities".</param>
/// <param name="Headers">Request headers; names compare case-insensitively, repeated values are joined with ", ".</param>
/// <param name="Body">The body as UTF-8 text, empty when there was none.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The path part of <see cref="PathAndQuery"/>, still percent-encoded.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    /// <summary>A header's value, or null when the request did not carry it.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port that records every request and answers from scripted
/// responses: the first queued one whose path prefix matches the request (FIFO), else the default answer
/// (200 <c>{"id":"1"}</c> unless changed with <see cref="SetDefault"/>). Use it wherever a client under test must
/// talk real HTTP to a Microsoft endpoint (Bot Connector, Graph, token issuers) without leaving the machine.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly RequestLog _log = new();
    private readonly List<ScriptedResponse> _scripted = [];
    private ScriptedResponse _default = new(null, HttpStatusCode.OK, """{"id":"1"}""", null);
    private WebApplication? _app;

    private RecordingHttpServer()
    {
    }

    /// <summary>The server's root, e.g. "http://127.0.0.1:50123/" (always ends with '/').</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Requests;

    /// <summary>Starts a server on a loopback port the OS picks, so parallel tests never collide.</summary>
    public static async Task<RecordingHttpServer> StartAsync()
    {
        var server = new RecordingHttpServer();
        var (app, root) = await LoopbackHost.StartAsync(a => a.Run(server.HandleAsync)).ConfigureAwait(false);
        server.BaseUrl = root;
        server._app = app;
        return server;
    }

    /// <summary>
    /// Queues one answer. With <paramref name="pathPrefix"/> (e.g. "/v3/conversations/x/pagedmembers") it is used only
    /// for a request whose encoded path and query starts with it; without, for the next request of any path.
    /// The body is sent as application/json unless <paramref name="headers"/> sets Content-Type.
    /// </summary>
    public void Enqueue(HttpStatusCode status, string? body = null, IDictionary<string, string>? headers = null, string? pathPrefix = null)
    {
        lock (_gate)
        {
            _scripted.Add(new ScriptedResponse(pathPrefix, status, body, headers));
        }
    }

    /// <summary>Changes the answer given when no queued response matches.</summary>
    public void SetDefault(HttpStatusCode status, string? body = null, IDictionary<string, string>? headers = null)
    {
        lock (_gate)
        {
            _default = new ScriptedResponse(null, status, body, headers);
        }
    }

    /// <summary>The first request (already received or still to come) that matches; throws TimeoutException after <paramref name="timeout"/>.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, TimeSpan timeout) => _log.WaitForRequestAsync(match, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await _log.RecordAsync(context).ConfigureAwait(false);
        string target = request.PathAndQuery;

        ScriptedResponse response;
        lock (_gate)
        {
            int index = _scripted.FindIndex(s => s.PathPrefix is null || target.StartsWith(s.PathPrefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                response = _scripted[index];
                _scripted.RemoveAt(index);
            }
            else
            {
                response = _default;
            }
        }

        context.Response.StatusCode = (int)response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            if (string.IsNullOrEmpty(context.Response.ContentType))
            {
                context.Response.ContentType = "application/json; charset=utf-8";
            }

            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private sealed record ScriptedResponse(string? PathPrefix, HttpStatusCode Status, string? Body, IDictionary<string, string>? Headers);
}
