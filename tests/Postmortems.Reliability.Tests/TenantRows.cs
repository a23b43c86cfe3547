using Azure.Data.Tables;
using Postmortems.Core.Storage;

namespace Postmortems.Reliability.Tests;

/// <summary>Every row a tenant has in every table, read straight from Table Storage: what a fault may have left behind.</summary>
internal static class TenantRows
{
    /// <summary>"table/partition/row" for each row: partition keys start with the tenant id; outbox rows carry it as TenantId.</summary>
    public static async Task<SortedSet<string>> ReadAsync(PostmortemTables tables, string tenantId)
    {
        var rows = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in tables.All)
        {
            string filter = table.Name == tables.Outbox.Name
                ? TableClient.CreateQueryFilter($"TenantId eq {tenantId}")
                : TableClient.CreateQueryFilter($"PartitionKey ge {tenantId} and PartitionKey lt {tenantId + "~"}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{table.Name[tables.Prefix.Length..]}/{entity.PartitionKey}/{entity.RowKey}");
            }
        }

        return rows;
    }
}
