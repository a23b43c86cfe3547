using System.Text.Json;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Discussion;

public sealed class FiveWhysMapping : IItemMapping<FiveWhys>
{
    public string Kind => "whys";

    public IReadOnlyList<FieldError> Validate(FiveWhys item, DateTimeOffset now, bool isNew) => DiscussionRules.Validate(item);

    public void Write(FiveWhys item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Problem)] = item.Problem;
        entity[nameof(item.Whys)] = JsonSerializer.Serialize(item.Whys);
    }

    public FiveWhys Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new FiveWhys
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Problem = entity.GetString(nameof(FiveWhys.Problem)) ?? string.Empty,
            Whys = JsonSerializer.Deserialize<string[]>(entity.GetString(nameof(FiveWhys.Whys)) ?? "[]") ?? [],
        };
    }
}

public sealed class ContributingFactorMapping : IItemMapping<ContributingFactor>
{
    public string Kind => "factor";

    public IReadOnlyList<FieldError> Validate(ContributingFactor item, DateTimeOffset now, bool isNew) => DiscussionRules.Validate(item);

    public void Write(ContributingFactor item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Text)] = item.Text;
        entity[nameof(item.Category)] = item.Category?.ToString();
        entity[nameof(item.EntryIds)] = JsonSerializer.Serialize(item.EntryIds);
        entity[nameof(item.Decision)] = item.Decision.ToString();
        entity[nameof(item.RiskReason)] = item.RiskReason;
    }

    public ContributingFactor Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ContributingFactor
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Text = entity.GetString(nameof(ContributingFactor.Text)) ?? string.Empty,
            Category = entity.GetOptionalEnum<Analysis.FactorCategory>(nameof(ContributingFactor.Category)),
            EntryIds = JsonSerializer.Deserialize<string[]>(entity.GetString(nameof(ContributingFactor.EntryIds)) ?? "[]") ?? [],
            Decision = entity.GetEnum(nameof(ContributingFactor.Decision), Analysis.FactorDecision.Open),
            RiskReason = entity.GetString(nameof(ContributingFactor.RiskReason)),
        };
    }
}

public sealed class TakeawayMapping : TextItemMapping<Takeaway>
{
    public override string Kind => "takeaway";

    public override IReadOnlyList<FieldError> Validate(Takeaway item, DateTimeOffset now, bool isNew) => DiscussionRules.Validate(item);

    protected override Takeaway Create(ItemFields fields, string text) =>
        new() { Id = fields.Id, PostmortemId = fields.PostmortemId, Author = fields.Author, CreatedAt = fields.CreatedAt, ETag = fields.ETag, Text = text };
}
