using System.Text.Json;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// A postmortem's meeting once its invite is out: what was sent and where it lives (the Graph event, or the .ics
/// file). One per kind per postmortem (<see cref="IdOf"/>), so scheduling again updates the same meeting.
/// </summary>
public sealed record ScheduledMeeting : PostmortemItem
{
    public required MeetingKind Kind { get; init; }

    /// <summary>The invite as last sent, kept so the body can be refreshed later with the same time and people.</summary>
    public required MeetingInvite Invite { get; init; }

    public required string EventId { get; init; }

    public Uri? WebLink { get; init; }

    public Uri? JoinUrl { get; init; }

    public string? LocalFile { get; init; }

    /// <summary>The outbox item that sent it: a retried item finds its own meeting here and does not send twice.</summary>
    public required string OutboxId { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public static string IdOf(MeetingKind kind) => kind == MeetingKind.Postmortem ? "postmortem" : "followup";
}

public sealed class ScheduledMeetingMapping : IItemMapping<ScheduledMeeting>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => "meeting";

    public IReadOnlyList<FieldError> Validate(ScheduledMeeting item, DateTimeOffset now, bool isNew) => [];

    public void Write(ScheduledMeeting item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Kind)] = item.Kind.ToString();
        entity[nameof(item.Invite)] = JsonSerializer.Serialize(item.Invite, Json);
        entity[nameof(item.EventId)] = item.EventId;
        entity[nameof(item.WebLink)] = item.WebLink?.AbsoluteUri;
        entity[nameof(item.JoinUrl)] = item.JoinUrl?.AbsoluteUri;
        entity[nameof(item.LocalFile)] = item.LocalFile;
        entity[nameof(item.OutboxId)] = item.OutboxId;
        entity[nameof(item.SentAt)] = item.SentAt;
    }

    public ScheduledMeeting Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new ScheduledMeeting
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Kind = entity.GetEnum(nameof(ScheduledMeeting.Kind), MeetingKind.Postmortem),
            Invite = JsonSerializer.Deserialize<MeetingInvite>(entity.RequiredString(nameof(ScheduledMeeting.Invite)), Json)
                ?? throw new InvalidDataException("A stored meeting lacks its invite."),
            EventId = entity.RequiredString(nameof(ScheduledMeeting.EventId)),
            WebLink = Uri.TryCreate(entity.GetString(nameof(ScheduledMeeting.WebLink)), UriKind.Absolute, out var web) ? web : null,
            JoinUrl = Uri.TryCreate(entity.GetString(nameof(ScheduledMeeting.JoinUrl)), UriKind.Absolute, out var join) ? join : null,
            LocalFile = entity.GetString(nameof(ScheduledMeeting.LocalFile)),
            OutboxId = entity.RequiredString(nameof(ScheduledMeeting.OutboxId)),
            SentAt = entity.GetDateTimeOffset(nameof(ScheduledMeeting.SentAt)) ?? fields.CreatedAt,
        };
    }
}
