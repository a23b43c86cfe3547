using Postmortems.Bot.Hosting;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Hosting;

/// <summary>The health check covers every table the product uses, and the product's tables are one list.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class StorageHealthCheckTests
{
    [TestMethod]
    public async Task HealthIsUnhealthyAndNamesTheTableWhenAnyOneTableIsMissing()
    {
        var azurite = await SharedAzurite.GetAsync();
        foreach (string name in TableNames.All)
        {
            await using var services = await TestStorage.CreateAsync(azurite.ConnectionString, "h" + Guid.NewGuid().ToString("N")[..10]);
            var tables = services.GetRequiredService<PostmortemTables>();
            var check = ActivatorUtilities.CreateInstance<StorageHealthCheck>(services);
            Assert.AreEqual(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status, "every table exists");

            await tables.Table(name).DeleteAsync();

            var result = await check.CheckHealthAsync(new HealthCheckContext());
            Assert.AreEqual(HealthStatus.Unhealthy, result.Status, name + " is missing");
            StringAssert.Contains(result.Description, name);
            await DeleteAllAsync(tables);
        }
    }

    [TestMethod]
    public void EveryTableNameIsInTheOneListAndHasAClient()
    {
        string[] declared = [.. typeof(TableNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];
        CollectionAssert.AreEquivalent(declared, TableNames.All.ToArray(), "every table name declared is in TableNames.All");

        var tables = new PostmortemTables(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), "p");
        CollectionAssert.AreEqual(TableNames.All.Select(n => "p" + n).ToArray(), tables.All.Select(t => t.Name).ToArray(), "the initializer and the health check go through every one");
    }

    [TestMethod]
    public void NoProductCodeOpensATableOutsideTheOneList()
    {
        // A table client made anywhere but PostmortemTables would be a table the initializer and the health check do not know.
        var offenders = new List<string>();
        foreach (string folder in new[] { "core", "bot", "tabs", "graph-sync" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || Path.GetFileName(file) == "PostmortemTables.cs")
                {
                    continue;
                }

                string text = File.ReadAllText(file);
                if (text.Contains("GetTableClient(", StringComparison.Ordinal) || text.Contains("new TableClient(", StringComparison.Ordinal))
                {
                    offenders.Add(Path.GetRelativePath(RepositoryRoot.Path, file));
                }
            }
        }

        Assert.IsEmpty(offenders, "tables opened outside PostmortemTables (add them to TableNames.All instead): " + string.Join(", ", offenders));
    }

    private static async Task DeleteAllAsync(PostmortemTables tables)
    {
        foreach (var table in tables.All)
        {
            await table.DeleteAsync();
        }
    }
}
