namespace Postmortems.Core.Common;

/// <summary>Collects field errors with messages written for someone tired after an incident: say what to do, kindly.</summary>
public sealed class Validation
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        _errors.Add(new FieldError(field, message));
        return this;
    }

    /// <summary>Required text: present, not only spaces, within its limit, and free of control characters.</summary>
    public Validation Required(string field, string label, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"Please add {label}.");
        }

        return Optional(field, label, value, maxLength);
    }

    /// <summary>Optional text: when present, within its limit and free of control characters.</summary>
    public Validation Optional(string field, string label, string? value, int maxLength)
    {
        if (value is null)
        {
            return this;
        }

        if (value.Length > maxLength)
        {
            return Add(field, $"{Capitalize(label)} is {value.Length:N0} characters long; the limit is {maxLength:N0}. Please shorten it.");
        }

        if (value.Any(IsDisallowedControlCharacter))
        {
            return Add(field, InvisibleControlsMessage(label));
        }

        return this;
    }

    /// <summary>
    /// Required single-line text (a title, the actor): as <see cref="Required"/>, and refused when it holds a line
    /// break or any character <see cref="SingleLineText"/> keeps off a single line.
    /// </summary>
    public Validation RequiredLine(string field, string label, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"Please add {label}.");
        }

        return OptionalLine(field, label, value, maxLength);
    }

    /// <summary>Optional single-line text: when present, as <see cref="RequiredLine"/>.</summary>
    public Validation OptionalLine(string field, string label, string? value, int maxLength)
    {
        if (value is null)
        {
            return this;
        }

        if (value.Length > maxLength)
        {
            return Optional(field, label, value, maxLength);
        }

        if (SingleLineText.HasLineBreak(value))
        {
            return Add(field, $"{Capitalize(label)} needs to fit on one line. Please remove the line breaks.");
        }

        if (SingleLineText.HasInvisibleControl(value))
        {
            return Add(field, InvisibleControlsMessage(label));
        }

        return this;
    }

    public Validation RequiredPerson(string field, string label, Person? person)
    {
        if (person is null || string.IsNullOrWhiteSpace(person.ObjectId))
        {
            return Add(field, $"Please choose {label}.");
        }

        if (!Ids.IsValidKeyPart(person.ObjectId))
        {
            return Add(field, $"We couldn't recognise {label}. Please choose them again from the list.");
        }

        return OptionalLine(field, $"the name of {label}", person.DisplayName, TextLimits.Name);
    }

    // Tabs and new lines are ordinary in multi-line text; every other control character is not.
    private static bool IsDisallowedControlCharacter(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t');

    private static string InvisibleControlsMessage(string label) =>
        $"{Capitalize(label)} contains invisible control characters. Please retype it or paste it as plain text.";

    private static string Capitalize(string label) =>
        label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
