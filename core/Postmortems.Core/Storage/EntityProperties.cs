using System.Globalization;
using Azure.Data.Tables;
using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>Typed reads and writes of table entity properties that Table Storage has no type for (enums, dates, people).</summary>
public static class EntityProperties
{
    public static string RequiredString(this TableEntity entity, string name) =>
        entity.GetString(name) ?? throw new InvalidDataException($"Stored entity {entity.PartitionKey}/{entity.RowKey} lacks {name}.");

    public static TEnum GetEnum<TEnum>(this TableEntity entity, string name, TEnum fallback)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(entity.GetString(name), ignoreCase: false, out var value) && Enum.IsDefined(value) ? value : fallback;

    public static TEnum? GetOptionalEnum<TEnum>(this TableEntity entity, string name)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(entity.GetString(name), ignoreCase: false, out var value) && Enum.IsDefined(value) ? value : null;

    public static DateOnly? GetDateOnly(this TableEntity entity, string name) =>
        DateOnly.TryParseExact(entity.GetString(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string? ToStored(this DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Table Storage keeps instants in UTC; the caller restores the offset from a stored time zone where one matters.</summary>
    public static DateTimeOffset? GetInstant(this TableEntity entity, string name) => entity.GetDateTimeOffset(name);

    public static Person? GetPerson(this TableEntity entity, string prefix)
    {
        string? id = entity.GetString(prefix + "Id");
        return id is null ? null : new Person(id, entity.GetString(prefix + "Name") ?? string.Empty);
    }

    public static Person RequiredPerson(this TableEntity entity, string prefix) =>
        entity.GetPerson(prefix) ?? throw new InvalidDataException($"Stored entity {entity.PartitionKey}/{entity.RowKey} lacks {prefix}.");

    public static void SetPerson(this TableEntity entity, string prefix, Person? person)
    {
        entity[prefix + "Id"] = person?.ObjectId;
        entity[prefix + "Name"] = person?.DisplayName;
    }
}
