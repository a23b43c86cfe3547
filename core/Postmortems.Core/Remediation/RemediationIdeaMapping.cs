using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Remediation;

public sealed class RemediationIdeaMapping : IItemMapping<RemediationIdea>
{
    public string Kind => "idea";

    public IReadOnlyList<FieldError> Validate(RemediationIdea item, DateTimeOffset now, bool isNew) => RemediationIdeaRules.Validate(item);

    public void Write(RemediationIdea item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Category)] = item.Category.ToString();
        entity[nameof(item.Text)] = item.Text;
    }

    public RemediationIdea Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new RemediationIdea
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Category = entity.GetEnum(nameof(RemediationIdea.Category), RemediationCategory.OtherAreasOfRisk),
            Text = entity.GetString(nameof(RemediationIdea.Text)) ?? string.Empty,
        };
    }
}
