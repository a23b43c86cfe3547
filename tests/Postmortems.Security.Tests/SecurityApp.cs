using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>
/// The real app (WebApplicationFactory over the bot host's Program) on real Azurite, with tables of its own (a unique
/// Storage:TablePrefix, so a snapshot of whole tables sees only what this test class did) and the caller's address set
/// as a network peer would set it.
/// </summary>
internal sealed class SecurityApp : IAsyncDisposable
{
    private SecurityApp(WebApplicationFactory<Program> factory, string prefix)
    {
        Factory = factory;
        TablePrefix = prefix;
    }

    public WebApplicationFactory<Program> Factory { get; }

    public string TablePrefix { get; }

    public PostmortemTables Tables => Service<PostmortemTables>();

    public static async Task<SecurityApp> StartAsync(IPAddress caller, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var azurite = await SharedAzurite.GetAsync();
        string prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Storage:ConnectionString", azurite.ConnectionString);
            b.UseSetting("Storage:TablePrefix", prefix);
            b.UseSetting("Outbox:Enabled", "false");
            b.UseSetting("Postmortems:Reminders:Enabled", "false");

            // Like the outbox and reminders, the index backfill writes on its own (its progress marker); these tests
            // check what requests change, so background writers stay off.
            b.UseSetting("Search:Backfill:Enabled", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
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
        await factory.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        return new SecurityApp(factory, prefix);
    }

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public HttpClient Client() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public Task<TableSnapshot> SnapshotAsync() => TableSnapshot.TakeAsync(Tables);

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

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
