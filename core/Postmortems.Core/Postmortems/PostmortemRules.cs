using Postmortems.Core.Common;

namespace Postmortems.Core.Postmortems;

public static class PostmortemRules
{
    public static IReadOnlyList<FieldError> Validate(Postmortem postmortem)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var v = new Validation()
            .RequiredLine("title", "a title", postmortem.Title, TextLimits.Title)
            .Optional("summary", "the summary", postmortem.Summary, TextLimits.LongText)
            .Optional("customerImpact", "the customer impact", postmortem.CustomerImpact, TextLimits.LongText)
            .OptionalLine("reportedBy", "who or what reported it", postmortem.ReportedBy, TextLimits.Name)
            .RequiredPerson("facilitator", "a facilitator", postmortem.Facilitator);

        foreach (var error in Search.Labels.Validate("services", "services", postmortem.Services).Concat(Search.Labels.Validate("tags", "tags", postmortem.Tags)))
        {
            v.Add(error.Field, error.Message);
        }

        if (!Enum.IsDefined(postmortem.Severity))
        {
            v.Add("severity", "Please choose a severity from the list.");
        }

        if (!Enum.IsDefined(postmortem.Status))
        {
            v.Add("status", "That status is not one we know.");
        }

        // The order of events is part of the summary: detection and mitigation cannot come before the start.
        if (postmortem.StartedAt is { } started)
        {
            if (postmortem.DetectedAt < started)
            {
                v.Add("detectedAt", "Detection is before the start of the incident. Please check both times.");
            }

            if (postmortem.MitigatedAt < started)
            {
                v.Add("mitigatedAt", "Mitigation is before the start of the incident. Please check both times.");
            }
        }

        return v.Errors;
    }

    /// <summary>
    /// Which status may follow which. A closed postmortem can be reopened; a scheduled meeting can be called off.
    /// </summary>
    public static bool CanMove(PostmortemStatus from, PostmortemStatus to) => (from, to) switch
    {
        _ when from == to => true,
        (PostmortemStatus.Open, _) => true,
        (PostmortemStatus.MeetingScheduled, _) => true,
        (PostmortemStatus.Reviewed, PostmortemStatus.MeetingScheduled or PostmortemStatus.Closed) => true,
        (PostmortemStatus.Closed, PostmortemStatus.Open or PostmortemStatus.Reviewed) => true,
        _ => false,
    };

    /// <summary>Moves the postmortem to a new status, or explains why it cannot move there.</summary>
    public static (Postmortem? Moved, FieldError? Error) MoveTo(Postmortem postmortem, PostmortemStatus to)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (CanMove(postmortem.Status, to))
        {
            return (postmortem with { Status = to }, null);
        }

        string message = postmortem.Status switch
        {
            PostmortemStatus.Closed => "This postmortem is closed. Reopen it first, then change its status.",
            PostmortemStatus.Reviewed => "The meeting for this postmortem already took place, so it can't go back to open. You can schedule another meeting or close it.",
            _ => $"A postmortem can't move from {Describe(postmortem.Status)} to {Describe(to)}.",
        };
        return (null, new FieldError("status", message));
    }

    public static string Describe(PostmortemStatus status) => status switch
    {
        PostmortemStatus.Open => "open",
        PostmortemStatus.MeetingScheduled => "meeting scheduled",
        PostmortemStatus.Reviewed => "reviewed",
        PostmortemStatus.Closed => "closed",
        _ => status.ToString(),
    };
}
