namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// A meeting exactly as the facilitator confirmed it on the preview card. It is stored in the outbox and sent later;
/// the invite's body is built when it is sent, from the postmortem as it is then.
/// </summary>
public sealed record MeetingInvite
{
    public required MeetingKind Kind { get; init; }

    public required string TenantId { get; init; }

    public required string PostmortemId { get; init; }

    public required string Subject { get; init; }

    public required DateTimeOffset Start { get; init; }

    /// <summary>45 to 90 minutes; 60 by default.</summary>
    public required int DurationMinutes { get; init; }

    /// <summary>The organizer's time zone (IANA or Windows id): the event is created in it.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Whose calendar the event goes on.</summary>
    public required Attendee Organizer { get; init; }

    public required IReadOnlyList<Attendee> Attendees { get; init; }

    /// <summary>
    /// Sent as the event's transactionId, so a POST that is retried (after a timeout or a restart) never creates a
    /// second event (Graph event resource, "transactionId").
    /// </summary>
    public required string TransactionId { get; init; }

    /// <summary>A link that opens the postmortem in Teams, put in the body; null when the app's address is not known.</summary>
    public Uri? PostmortemLink { get; init; }

    /// <summary>The postmortem's page in the app (the tab's address), or null when the app's address is not set.</summary>
    public Uri? PageLink { get; init; }

    /// <summary>The chat the facilitator confirmed in: where the links (or a failure) are posted back.</summary>
    public string? ConversationId { get; init; }

    public DateTimeOffset End => Start.AddMinutes(DurationMinutes);
}
