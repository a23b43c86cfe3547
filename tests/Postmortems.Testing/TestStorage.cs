using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;

namespace Postmortems.Testing;

/// <summary>The storage services exactly as the app registers them, pointed at a real Azurite, with the tables created.</summary>
public static class TestStorage
{
    public static async Task<ServiceProvider> CreateAsync(string connectionString, string tablePrefix = "")
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:TablePrefix"] = tablePrefix,
                ["Storage:TimeoutSeconds"] = "30",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPostmortemStorage(configuration);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TableInitializer>().CreateTablesAsync(CancellationToken.None);
        return provider;
    }
}
