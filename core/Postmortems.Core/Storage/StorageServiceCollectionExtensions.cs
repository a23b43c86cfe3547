using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Actions;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;

namespace Postmortems.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the postmortem storage on Azure Table Storage, and its table creation at start-up (the host adds the health check).</summary>
    public static IServiceCollection AddPostmortemStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.TableEndpoint is not null || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Set Storage:TableEndpoint (Azure) or Storage:ConnectionString (local development).")
            .Validate(o => o.TableEndpoint is null || o.TableEndpoint.Scheme == Uri.UriSchemeHttps || o.TableEndpoint.IsLoopback,
                "Storage:TableEndpoint must use https.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => new PostmortemTables(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        services.AddSingleton<StorageReadiness>();
        services.AddSingleton<TableInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<TableInitializer>());

        services.AddSingleton<Search.PostmortemIndex>();
        AddIndexBackfill(services, configuration);
        services.AddSingleton<Search.PostmortemSearch>();
        services.AddSingleton<Overview.PracticeOverview>();
        services.AddSingleton(sp => new PostmortemRepository(
            sp.GetRequiredService<PostmortemTables>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Search.PostmortemIndex>(),
            sp.GetRequiredService<ILogger<PostmortemRepository>>()));
        services.AddSingleton<PostmortemDocumentReader>();
        AddItemStore(services, new TimelineEntryMapping());
        AddItemStore(services, new RemediationIdeaMapping(), indexed: true);
        services.AddSingleton<ActionsByOwnerIndex>();
        services.AddActionFollower<Lifecycle.ClosesWhenActionsFinished>();
        services.AddSingleton(sp => new PostmortemItemStore<ActionItem>(
            sp.GetRequiredService<PostmortemTables>().Items,
            new ActionItemMapping(),
            sp.GetRequiredService<TimeProvider>(),
            ActionFollowers.InOrder(sp),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<PostmortemItemStore<ActionItem>>()));
        AddItemStore(services, new FiveWhysMapping());
        AddItemStore(services, new ContributingFactorMapping(), indexed: true);
        AddItemStore(services, new TakeawayMapping(), indexed: true);
        services.AddActionFollower<Search.IndexFollower<ActionItem>>();
        AddItemStore(services, new Analysis.WentWellMapping());
        AddItemStore(services, new Analysis.LuckyBreakMapping());
        return services;
    }

    /// <summary>Adds the postmortems stored before the search index (or its current version) to it, in the background.</summary>
    private static void AddIndexBackfill(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Search.IndexBackfillOptions>()
            .Bind(configuration.GetSection(Search.IndexBackfillOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxRetrySeconds >= o.FirstRetrySeconds, "Search:Backfill:MaxRetrySeconds must be at least Search:Backfill:FirstRetrySeconds.")
            .ValidateOnStart();
        services.AddSingleton<Search.IndexBackfillProgress>();
        services.AddSingleton<Search.IndexBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<Search.IndexBackfill>());
    }

    /// <summary>
    /// Azure: the Table endpoint with DefaultAzureCredential (managed identity), no keys in configuration.
    /// Local: a connection string, Azurite by default. Retries are few and short so a card answer stays well inside
    /// Teams' 15 s invoke limit even when storage is down.
    /// </summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(1),
                NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            },
            Diagnostics = { IsTelemetryEnabled = false },
        };

        if (options.TableEndpoint is { } endpoint)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            });
            return new TableServiceClient(endpoint, credential, clientOptions);
        }

        return new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <param name="indexed">The item feeds the search index (<see cref="Search.PostmortemIndex"/>), rebuilt after each of its writes.</param>
    private static void AddItemStore<T>(IServiceCollection services, IItemMapping<T> mapping, bool indexed = false)
        where T : Common.PostmortemItem =>
        services.AddSingleton(sp => new PostmortemItemStore<T>(
            sp.GetRequiredService<PostmortemTables>().Items,
            mapping,
            sp.GetRequiredService<TimeProvider>(),
            indexed ? [new Search.IndexFollower<T>(sp.GetRequiredService<Search.PostmortemIndex>())] : [],
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<PostmortemItemStore<T>>()));
}
