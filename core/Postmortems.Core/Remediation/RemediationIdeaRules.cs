using Postmortems.Core.Common;

namespace Postmortems.Core.Remediation;

public static class RemediationIdeaRules
{
    public static IReadOnlyList<FieldError> Validate(RemediationIdea idea)
    {
        ArgumentNullException.ThrowIfNull(idea);
        var v = new Validation().Required("text", "the idea", idea.Text, TextLimits.LongText);
        if (!Enum.IsDefined(idea.Category))
        {
            v.Add("category", "Please choose detect, react, quick fix, prevent or other areas of risk.");
        }

        return v.Errors;
    }
}
