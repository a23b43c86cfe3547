using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Postmortems.Core.Storage;

/// <summary>
/// Healthy when the tables exist and a point read answers. The read asks for a row that never exists, which needs
/// only the data-plane permission the app runs with (Storage Table Data Contributor), not account keys.
/// </summary>
public sealed class StorageHealthCheck(PostmortemTables tables, StorageReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.TablesCreated)
        {
            return HealthCheckResult.Unhealthy("Storage is not reachable yet: the tables have not been created.");
        }

        try
        {
            await StorageCalls.Run(
                () => tables.Postmortems.GetEntityIfExistsAsync<TableEntity>("healthz", "healthz", cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Storage is reachable.");
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
