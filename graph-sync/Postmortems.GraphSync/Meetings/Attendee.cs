namespace Postmortems.GraphSync.Meetings;

/// <summary>
/// Someone invited to a meeting. The Entra object id is the identity; the e-mail address is what calendars need, and
/// is looked up from the object id when Teams did not give it.
/// </summary>
public sealed record Attendee(string ObjectId, string DisplayName, string? Email = null, bool IsOptional = false);
