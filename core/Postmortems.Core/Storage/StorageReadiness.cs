namespace Postmortems.Core.Storage;

/// <summary>Whether the tables have been created since start-up.</summary>
public sealed class StorageReadiness
{
    private volatile bool _tablesCreated;

    public bool TablesCreated => _tablesCreated;

    public void MarkTablesCreated() => _tablesCreated = true;
}
