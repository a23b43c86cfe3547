using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;

namespace Postmortems.Testing;

/// <summary>The storage services exactly as the app registers them, pointed at a real Azurite, with the tables created.</summary>
public static class TestStorage
{
    /// <param name="settings">More settings, or ones that replace these (e.g. "Search:Backfill:PageSize").</param>
    /// <param name="configure">More services, e.g. a logger provider that records.</param>
    public static async Task<ServiceProvider> CreateAsync(
        string connectionString, string tablePrefix = "", IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["Storage:TimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        services.AddPostmortemStorage(configuration);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        return provider;
    }
}
