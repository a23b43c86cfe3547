using Azure.Data.Tables;

namespace Postmortems.Core.Storage;

/// <summary>The product's table clients, named with the configured prefix; one for each name in <see cref="TableNames.All"/>.</summary>
public sealed class PostmortemTables
{
    private readonly Dictionary<string, TableClient> _byName;

    public PostmortemTables(TableServiceClient service, string prefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        Service = service;
        Prefix = prefix;
        _byName = TableNames.All.ToDictionary(name => name, name => service.GetTableClient(prefix + name), StringComparer.Ordinal);
        Postmortems = _byName[TableNames.Postmortems];
        Items = _byName[TableNames.PostmortemItems];
        Conversations = _byName[TableNames.Conversations];
        Outbox = _byName[TableNames.Outbox];
        ActionsByOwner = _byName[TableNames.ActionsByOwner];
        RemindersDue = _byName[TableNames.RemindersDue];
        TodoSync = _byName[TableNames.TodoSync];
        Index = _byName[TableNames.PostmortemIndex];
    }

    public TableServiceClient Service { get; }

    public string Prefix { get; }

    public TableClient Postmortems { get; }

    public TableClient Items { get; }

    public TableClient Conversations { get; }

    public TableClient Outbox { get; }

    public TableClient ActionsByOwner { get; }

    public TableClient RemindersDue { get; }

    public TableClient TodoSync { get; }

    public TableClient Index { get; }

    /// <summary>Every table of <see cref="TableNames.All"/>, in that order.</summary>
    public IEnumerable<TableClient> All => TableNames.All.Select(name => _byName[name]);

    /// <summary>The client of one of <see cref="TableNames.All"/>.</summary>
    public TableClient Table(string name) => _byName.TryGetValue(name, out var table)
        ? table
        : throw new ArgumentException($"“{name}” is not one of the product's tables (TableNames.All).", nameof(name));
}
