using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postmortems.GraphSync.Todo;

namespace Postmortems.GraphSync.Tests.Todo;

/// <summary>A minimal web host on a loopback port that maps only the Graph notification endpoints, as the bot's Program does.</summary>
public sealed class NotificationHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Uri Notifications => new(BaseUrl, TodoSync.NotificationsPath.TrimStart('/'));

    public Uri Lifecycle => new(BaseUrl, TodoSync.LifecyclePath.TrimStart('/'));

    public HttpClient Client { get; } = new();

    public static async Task<NotificationHost> StartAsync(IServiceProvider appServices)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(appServices.GetRequiredService<TodoNotifications>());
        var app = builder.Build();
        app.MapGraphNotifications();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new NotificationHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
