using System.Text.Json;
using System.Text.Json.Serialization;

namespace Postmortems.Core.Lifecycle;

/// <summary>A postmortem's history as one JSON string column of its row, so each move is written with the status it made.</summary>
public static class LifecycleHistory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string? Write(IReadOnlyList<LifecycleEvent> history) =>
        history is null || history.Count == 0 ? null : JsonSerializer.Serialize(history, Json);

    /// <summary>Rows written before there was a history, or with one this version cannot read, read as no history.</summary>
    public static IReadOnlyList<LifecycleEvent> Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<LifecycleEvent>>(stored, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
