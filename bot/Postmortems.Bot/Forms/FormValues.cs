using System.Text.Json;

namespace Postmortems.Bot.Forms;

/// <summary>
/// What a card sent: its inputs merged with the action's data (Universal Actions merge both into action.data).
/// Every value arrives as a string; anything else is treated as missing.
/// </summary>
public sealed class FormValues
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public FormValues(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                _values[property.Name] = property.Value.GetString()!;
            }
        }
    }

    public FormValues(IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                _values[key] = value;
            }
        }
    }

    /// <summary>The trimmed value, or null when missing or blank.</summary>
    public string? this[string id] => _values.TryGetValue(id, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The value as typed (kept on a card shown again with errors).</summary>
    public string? Raw(string id) => _values.TryGetValue(id, out var value) ? value : null;

    /// <summary>A copy with one value replaced (or removed when null); this one is unchanged.</summary>
    public FormValues With(string id, string? value)
    {
        var copy = new FormValues(new Dictionary<string, string?>());
        foreach (var (key, existing) in _values)
        {
            copy._values[key] = existing;
        }

        if (value is null)
        {
            copy._values.Remove(id);
        }
        else
        {
            copy._values[id] = value;
        }

        return copy;
    }
}
