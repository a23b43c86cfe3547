namespace Postmortems.Core.Common;

/// <summary>
/// Something that belongs to one postmortem and is stored in its partition: a timeline entry, an idea, an action,
/// a why chain, a contributing factor or a takeaway.
/// </summary>
public abstract record PostmortemItem
{
    public required string Id { get; init; }

    public required string PostmortemId { get; init; }

    public required Person Author { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who last edited it; null until someone does. Named when a second editor's save meets their change.</summary>
    public Person? EditedBy { get; init; }

    /// <summary>The stored version this copy was read at; sent back as If-Match on update. Null before the first save.</summary>
    public string? ETag { get; init; }
}
