using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Conversations;
using Postmortems.Testing;

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
            // The tests share one outbox table: only a test that gives itself its own tables turns the worker on.
            b.UseSetting("Outbox:Enabled", "false");
            b.UseSetting("Graph:LocalInviteFolder", Path.Combine(Path.GetTempPath(), "postmortem-invites-" + Guid.NewGuid().ToString("N")));
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

    /// <summary>
    /// A rejected activity leaves no trace: no request reached the connector and no reference was stored. Checked at
    /// once, with no wait: the endpoint rejects before the activity reaches the dispatcher (the only thing that replies
    /// or stores), so what was not sent by the time the rejection came back never will be.
    /// </summary>
    public static async Task AssertNothingHappenedAsync(WebApplicationFactory<Program> app, RecordingHttpServer connector, string conversation)
    {
        Assert.IsFalse(connector.Requests.Any(r => r.Path.Contains(Uri.EscapeDataString(conversation), StringComparison.Ordinal)), "nothing was sent");
        Assert.IsNull(await app.Services.GetRequiredService<ConversationStore>().GetAsync(TestActivities.TenantId, conversation), "nothing was stored");
    }

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
