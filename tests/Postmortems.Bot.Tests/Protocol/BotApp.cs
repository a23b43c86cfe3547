using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>
/// The app's real pipeline (WebApplicationFactory) with real Azurite behind it, and the caller's address set as a
/// network peer would set it (the test server has no socket, so no address of its own).
/// </summary>
internal static class BotApp
{
    public static WebApplicationFactory<Program> Create(string storageConnectionString, IPAddress caller, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:ConnectionString", storageConnectionString);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                b.UseSetting(key, value);
            }

            b.ConfigureServices(s =>
            {
                s.AddSingleton<IStartupFilter>(new CallerAddress(caller));
                services?.Invoke(s);
            });
        });

    private sealed class CallerAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
