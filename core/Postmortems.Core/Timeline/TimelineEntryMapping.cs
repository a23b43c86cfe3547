using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Timeline;

public sealed class TimelineEntryMapping : IItemMapping<TimelineEntry>
{
    public string Kind => "timeline";

    public IReadOnlyList<FieldError> Validate(TimelineEntry item, DateTimeOffset now, bool isNew) => TimelineEntryRules.Validate(item, now);

    public void Write(TimelineEntry item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.OccurredAt)] = item.OccurredAt.ToUniversalTime();
        entity[nameof(item.TimeZone)] = item.TimeZone;
        entity[nameof(item.Actor)] = item.Actor;
        entity[nameof(item.Description)] = item.Description;
        entity[nameof(item.Outcome)] = item.Outcome;
        entity[nameof(item.Expectations)] = item.Expectations;
        entity[nameof(item.Assumptions)] = item.Assumptions;
        entity[nameof(item.Kind)] = item.Kind.ToString();
        entity[nameof(item.SignalsAvailable)] = item.SignalsAvailable;
        entity[nameof(item.SourceMessageId)] = item.SourceMessageId;
        entity[nameof(item.SourceLink)] = item.SourceLink?.AbsoluteUri;
    }

    public TimelineEntry Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        string timeZone = entity.GetString(nameof(TimelineEntry.TimeZone)) ?? "UTC";
        return new TimelineEntry
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            OccurredAt = TimeZones.InZone(entity.GetInstant(nameof(TimelineEntry.OccurredAt)) ?? DateTimeOffset.MinValue, timeZone),
            TimeZone = timeZone,
            Actor = entity.GetString(nameof(TimelineEntry.Actor)) ?? string.Empty,
            Description = entity.GetString(nameof(TimelineEntry.Description)) ?? string.Empty,
            Outcome = entity.GetString(nameof(TimelineEntry.Outcome)),
            Expectations = entity.GetString(nameof(TimelineEntry.Expectations)),
            Assumptions = entity.GetString(nameof(TimelineEntry.Assumptions)),
            Kind = entity.GetEnum(nameof(TimelineEntry.Kind), TimelineEntryKind.Other),
            SignalsAvailable = entity.GetString(nameof(TimelineEntry.SignalsAvailable)),
            SourceMessageId = entity.GetString(nameof(TimelineEntry.SourceMessageId)),
            SourceLink = Uri.TryCreate(entity.GetString(nameof(TimelineEntry.SourceLink)), UriKind.Absolute, out var link) ? link : null,
        };
    }
}
