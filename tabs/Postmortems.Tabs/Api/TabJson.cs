using System.Text.Json;
using System.Text.Json.Serialization;

namespace Postmortems.Tabs.Api;

/// <summary>The tab API's JSON: camelCase names, enums as camelCase strings, nulls written out (the contract lists them).</summary>
public static class TabJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
