using System.Text;
using System.Text.Json;
using Postmortems.Core.Common;

namespace Postmortems.Core.Search;

/// <summary>
/// The one rule for services and tags. A label is 1 to <see cref="MaxLength"/> letters, digits, spaces, '-', '_',
/// '.' or '/', kept lower-case with single spaces, so "Checkout API" and "checkout  api" are the same label and a
/// label can never carry Markdown, HTML, a formula or a line break to any output. At most <see cref="MaxPerList"/> per
/// postmortem. Typed as one line separated by commas (or semicolons); plain code, linear in the text.
/// </summary>
public static class Labels
{
    public const int MaxLength = 40;
    public const int MaxPerList = 10;

    /// <summary>Splits what someone typed ("Checkout API, payments") into normalised labels, in order, each once.</summary>
    public static IReadOnlyList<string> Parse(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return [];
        }

        var labels = new List<string>();
        foreach (string part in typed.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            string label = Normalize(part);
            if (label.Length > 0 && !labels.Contains(label, StringComparer.Ordinal))
            {
                labels.Add(label);
            }
        }

        return labels;
    }

    /// <summary>Lower-case, white space collapsed to single spaces, trimmed. Other characters are kept for <see cref="Validate"/> to judge.</summary>
    public static string Normalize(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var builder = new StringBuilder(label.Length);
        bool space = false;
        foreach (char c in label)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    public static bool IsValid(string label) =>
        label.Length is > 0 and <= MaxLength && label == Normalize(label) && label.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/');

    public static IEnumerable<FieldError> Validate(string field, string what, IReadOnlyList<string>? labels)
    {
        if (labels is null)
        {
            yield break;
        }

        if (labels.Count > MaxPerList)
        {
            yield return new FieldError(field, $"Please keep to {MaxPerList} {what} at most; there are {labels.Count}.");
        }

        foreach (string label in labels.Take(MaxPerList + 1))
        {
            if (label.Length > MaxLength)
            {
                yield return new FieldError(field, $"“{label[..MaxLength]}…” is longer than {MaxLength} characters. Please shorten it.");
            }
            else if (!IsValid(label))
            {
                yield return new FieldError(field, $"{char.ToUpperInvariant(what[0])}{what[1..]} may use letters, digits, spaces, '-', '_', '.' and '/' only. Please change “{SingleLineText.Name(label, "?")}”.");
            }
        }
    }

    /// <summary>As stored in a table row: a JSON array, or null for none.</summary>
    public static string? ToStored(IReadOnlyList<string>? labels) =>
        labels is null || labels.Count == 0 ? null : JsonSerializer.Serialize(labels);

    /// <summary>A stored list; anything unreadable or invalid is left out rather than shown.</summary>
    public static IReadOnlyList<string> FromStored(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(stored)?.Where(l => l is not null && IsValid(l)).ToList() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
