using Azure.Data.Tables;

namespace Postmortems.Core.Storage;

/// <summary>The product's table clients, named with the configured prefix.</summary>
public sealed class PostmortemTables
{
    public PostmortemTables(TableServiceClient service, string prefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        Service = service;
        Prefix = prefix;
        Postmortems = service.GetTableClient(prefix + TableNames.Postmortems);
        Items = service.GetTableClient(prefix + TableNames.PostmortemItems);
        Conversations = service.GetTableClient(prefix + TableNames.Conversations);
        Outbox = service.GetTableClient(prefix + TableNames.Outbox);
        ActionsByOwner = service.GetTableClient(prefix + TableNames.ActionsByOwner);
    }

    public TableServiceClient Service { get; }

    public string Prefix { get; }

    public TableClient Postmortems { get; }

    public TableClient Items { get; }

    public TableClient Conversations { get; }

    public TableClient Outbox { get; }

    public TableClient ActionsByOwner { get; }

    public IEnumerable<TableClient> All => [Postmortems, Items, Conversations, Outbox, ActionsByOwner];
}
