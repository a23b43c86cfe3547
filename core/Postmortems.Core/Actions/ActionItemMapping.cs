using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Actions;

public sealed class ActionItemMapping : IItemMapping<ActionItem>
{
    public string Kind => "action";

    /// <summary>
    /// A new action's due date must not be in the past. "Today" is taken in UTC-12, the last zone to reach a new day,
    /// so nobody anywhere is refused their own today; callers that change the due date of an existing action check it themselves.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(ActionItem item, DateTimeOffset now, bool isNew) =>
        ActionItemRules.Validate(item, DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(-12)).DateTime), dueDateIsBeingSet: isNew);

    public void Write(ActionItem item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Title)] = item.Title;
        entity[nameof(item.Category)] = item.Category?.ToString();
        entity.SetPerson(nameof(item.Owner), item.Owner);
        entity[nameof(item.DueDate)] = item.DueDate.ToStored();
        entity[nameof(item.Status)] = item.Status.ToString();
        entity[nameof(item.CreatedFromIdeaId)] = item.CreatedFromIdeaId;
        entity[nameof(item.UpdatedAt)] = item.UpdatedAt;
        entity[nameof(item.FactorIds)] = item.FactorIds.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(item.FactorIds);
    }

    public ActionItem Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ActionItem
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Title = entity.GetString(nameof(ActionItem.Title)) ?? string.Empty,
            Category = entity.GetOptionalEnum<RemediationCategory>(nameof(ActionItem.Category)),
            Owner = entity.GetPerson(nameof(ActionItem.Owner)),
            DueDate = entity.GetDateOnly(nameof(ActionItem.DueDate)),
            Status = entity.GetEnum(nameof(ActionItem.Status), ActionStatus.Open),
            CreatedFromIdeaId = entity.GetString(nameof(ActionItem.CreatedFromIdeaId)),
            UpdatedAt = entity.GetInstant(nameof(ActionItem.UpdatedAt)),
            FactorIds = entity.GetString(nameof(ActionItem.FactorIds)) is { } ids ? System.Text.Json.JsonSerializer.Deserialize<string[]>(ids) ?? [] : [],
        };
    }
}
