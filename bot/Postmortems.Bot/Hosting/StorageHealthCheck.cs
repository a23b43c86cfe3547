using Postmortems.Core.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Postmortems.Bot.Hosting;

/// <summary>
/// Healthy when every table the product uses (<see cref="TableNames.All"/>) exists and answers a point read. Each
/// check asks for a row that never exists (a one-row point query), which needs only the data-plane permission the app runs with (Storage
/// Table Data Contributor), not account keys; a missing table answers 404 TableNotFound and is named in the result.
/// </summary>
public sealed class StorageHealthCheck(PostmortemTables tables, StorageReadiness readiness) : IHealthCheck
{
    private static readonly string Filter = TableClient.CreateQueryFilter($"PartitionKey eq {"healthz"} and RowKey eq {"healthz"}");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.TablesCreated)
        {
            return HealthCheckResult.Unhealthy("Storage is not reachable yet: the tables have not been created.");
        }

        try
        {
            var checks = TableNames.All.Select(async name =>
            {
                try
                {
                    var table = tables.Table(name);
                    // A query, not GetEntityIfExists: that one reads a missing table's 404 as "no such row".
                    await StorageCalls.Run(
                        async () =>
                        {
                            await foreach (var page in table.QueryAsync<TableEntity>(Filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
                            {
                                break;
                            }

                            return true;
                        },
                        cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 404)
                {
                    return name;
                }
            });
            string[] missing = [.. (await Task.WhenAll(checks).ConfigureAwait(false)).OfType<string>()];
            return missing.Length == 0
                ? HealthCheckResult.Healthy($"Storage is reachable and its {TableNames.All.Count} tables exist.")
                : HealthCheckResult.Unhealthy("Storage is reachable, but these tables are missing: " + string.Join(", ", missing) + ".");
        }
        catch (StorageUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy("Storage is not reachable.", ex);
        }
        catch (Azure.RequestFailedException ex)
        {
            return HealthCheckResult.Unhealthy($"Storage answered {ex.Status} ({ex.ErrorCode}).", ex);
        }
    }
}
