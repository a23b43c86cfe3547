using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Connector;

/// <summary>A token credential that counts acquisitions and can hold them until released.</summary>
internal sealed class FakeCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<string> LastScopes { get; private set; } = [];

    /// <summary>When set, acquisitions wait for it to complete.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        LastScopes = requestContext.Scopes;
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return new AccessToken($"token-{call}", time.GetUtcNow() + lifetime);
    }
}

/// <summary>A FakeTimeProvider that remembers every timer's due time, so a test can see a wait begin and then end it.</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private int _consumed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new RecordingTimer(this, base.CreateTimer(callback, state, dueTime, period));
    }

    /// <summary>Records a timer being armed: at creation, or later through Change (Polly arms its timeouts so).</summary>
    private void Record(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_gate)
        {
            _dueTimes.Add(dueTime);
        }
    }

    private sealed class RecordingTimer(RecordingTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Waits (real time) for the next new timer whose due time matches, and returns that due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                for (int i = _consumed; i < _dueTimes.Count; i++)
                {
                    if (match(_dueTimes[i]))
                    {
                        _consumed = i + 1;
                        return _dueTimes[i];
                    }
                }
            }

            await Task.Delay(10);
        }

        lock (_gate)
        {
            throw new TimeoutException($"No matching timer; timers created: {string.Join(", ", _dueTimes)}");
        }
    }

    /// <summary>Waits for the next matching timer and moves time past it.</summary>
    public async Task<TimeSpan> AdvanceThroughAsync(Func<TimeSpan, bool> match)
    {
        var due = await WaitForTimerAsync(match);
        Advance(due);
        return due;
    }
}

/// <summary>A ConnectorClient built by AddConnectorClient, pointed at a RecordingHttpServer.</summary>
internal sealed class ConnectorHarness : IAsyncDisposable
{
    public const string BotId = "28:00000000-0000-0000-0000-00000000b07";
    public const string UserId = "29:1abcDEF";
    public const string UserAadObjectId = "00000000-0000-0000-0000-000000000020";
    public const string TenantId = "00000000-0000-0000-0000-0000000000a1";
    public const string ChannelThreadId = "19:abc@thread.tacv2;messageid=123";
    public const string EscapedChannelThreadId = "19%3Aabc%40thread.tacv2%3Bmessageid%3D123";

    private ConnectorHarness(RecordingHttpServer server, ServiceProvider services, FakeCredential credential, TimeProvider time)
    {
        Server = server;
        Services = services;
        Credential = credential;
        Time = time;
    }

    public RecordingHttpServer Server { get; }

    public ServiceProvider Services { get; }

    public FakeCredential Credential { get; }

    public TimeProvider Time { get; }

    public ConnectorClient Client => Services.GetRequiredService<ConnectorClient>();

    public TrustedServiceUrls Trusted => Services.GetRequiredService<TrustedServiceUrls>();

    /// <summary>The server's root, trusted like a service URL from an authenticated activity.</summary>
    public string ServiceUrl => Server.BaseUrl.ToString();

    /// <param name="primaryHandler">Replaces the network under the retry handler, e.g. to simulate network errors.</param>
    public static async Task<ConnectorHarness> StartAsync(
        TimeProvider? time = null, string? appId = "00000000-0000-0000-0000-00000000b07", bool trustServer = true, HttpMessageHandler? primaryHandler = null)
    {
        time ??= TimeProvider.System;
        var server = await RecordingHttpServer.StartAsync();
        var options = Options.Create(new BotOptions { AppId = appId, AppPassword = appId is null ? null : "not-a-real-secret", TenantId = TenantId });
        var credential = new FakeCredential(time, TimeSpan.FromHours(1));
        var services = new ServiceCollection();
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(new ConnectorTokenProvider(options, time, credential));
        services.AddConnectorClient();
        if (primaryHandler is not null)
        {
            services.AddHttpClient<ConnectorClient>().ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
        }

        var provider = services.BuildServiceProvider();
        if (trustServer)
        {
            provider.GetRequiredService<TrustedServiceUrls>().Trust(server.BaseUrl.ToString());
        }

        return new ConnectorHarness(server, provider, credential, time);
    }

    public ConversationReference Personal(string conversationId = "a:1personalChat") =>
        new(ServiceUrl, conversationId, TenantId, BotId, "Postmortems", "personal", UserId, UserAadObjectId);

    public ConversationReference Channel() =>
        new(ServiceUrl, ChannelThreadId, TenantId, BotId, "Postmortems", "channel", UserId, UserAadObjectId);

    public static Activity Message(string text) => new() { Type = ActivityTypes.Message, Text = text };

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
