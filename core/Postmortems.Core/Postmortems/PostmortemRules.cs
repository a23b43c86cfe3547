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

    /// <summary>The status in words: "draft", "meeting scheduled", "in review", "published", "closed".</summary>
    public static string Describe(PostmortemStatus status) => Lifecycle.PostmortemLifecycle.Describe(status);
}
