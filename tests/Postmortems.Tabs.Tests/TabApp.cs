using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests;

/// <summary>
/// The real app (WebApplicationFactory over the bot host's Program) with real Azurite and its own tables, the caller's
/// address set as a network peer would set it, and tokens from a <see cref="LocalEntraIssuer"/>.
/// </summary>
internal sealed class TabApp : IAsyncDisposable
{
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ApplicationIdUri = "api://localhost/11111111-2222-3333-4444-555555555555";

    // The issuer this app started for itself (StartSignedInAsync), stopped with it.
    private LocalEntraIssuer? _ownIssuer;

    private TabApp(WebApplicationFactory<Program> factory) => Factory = factory;

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <param name="issuer">With an issuer, Auth:ClientId is set and tokens from it are accepted; without, no ClientId.</param>
    public static async Task<TabApp> StartAsync(
        LocalEntraIssuer? issuer,
        IPAddress? caller = null,
        string environment = "Development",
        IDictionary<string, string?>? settings = null,
        string? storageConnectionString = null)
    {
        string connectionString = storageConnectionString ?? (await SharedAzurite.GetAsync()).ConnectionString;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("Storage:ConnectionString", connectionString);
            b.UseSetting("Storage:TablePrefix", "t" + Guid.NewGuid().ToString("N")[..12]);
            b.UseSetting("Outbox:Enabled", "false");
            b.UseSetting("Graph:LocalInviteFolder", Path.Combine(Path.GetTempPath(), "postmortem-invites-" + Guid.NewGuid().ToString("N")));
            if (issuer is not null)
            {
                b.UseSetting("Auth:ClientId", ClientId);
                b.UseSetting("Auth:ApplicationIdUri", ApplicationIdUri);
                b.UseSetting("Auth:MetadataAddress", issuer.MetadataUrl.AbsoluteUri);
            }

            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                b.UseSetting(key, value);
            }

            b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new CallerAddress(caller ?? IPAddress.Loopback)));
        });
        if (storageConnectionString is null)
        {
            await factory.Services.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        }

        return new TabApp(factory);
    }

    /// <summary>The issuer of the tokens this app accepts, when it started with its own (<see cref="StartSignedInAsync"/>).</summary>
    public LocalEntraIssuer Issuer => _ownIssuer ?? throw new InvalidOperationException("This app was started without its own issuer.");

    /// <summary>The app with a token issuer of its own, which it stops when it stops: what a test class of the tab API starts once.</summary>
    public static async Task<TabApp> StartSignedInAsync()
    {
        var issuer = await LocalEntraIssuer.StartAsync();
        var app = await StartAsync(issuer);
        app._ownIssuer = issuer;
        return app;
    }

    /// <summary>A client signed in as <paramref name="user"/> of <paramref name="tenant"/>, with a token from <see cref="Issuer"/>.</summary>
    public HttpClient Client(string tenant, Person user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Client(Issuer.CreateToken(ClientId, tenant, user.ObjectId, user.DisplayName));
    }

    public HttpClient Client(string? token = null)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_ownIssuer is not null)
        {
            await _ownIssuer.DisposeAsync();
        }
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 answer with this status and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.AreEqual(status, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.AreEqual((int)status, problem.GetProperty("status").GetInt32());
        Assert.IsFalse(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
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
