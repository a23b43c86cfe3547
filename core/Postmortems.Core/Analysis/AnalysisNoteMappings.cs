using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Analysis;

public static class AnalysisNoteRules
{
    /// <summary>A short list item: one or two sentences.</summary>
    public const int MaxLength = 1000;

    public static IReadOnlyList<FieldError> Validate(string? text, string label) =>
        new Validation().Required("text", label, text, MaxLength).Errors;
}

public sealed class WentWellMapping : IItemMapping<WentWell>
{
    public string Kind => "wentwell";

    public IReadOnlyList<FieldError> Validate(WentWell item, DateTimeOffset now, bool isNew) =>
        AnalysisNoteRules.Validate(item?.Text, "what went well");

    public void Write(WentWell item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Text)] = item.Text;
    }

    public WentWell Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new WentWell
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Text = entity.GetString(nameof(WentWell.Text)) ?? string.Empty,
        };
    }
}

public sealed class LuckyBreakMapping : IItemMapping<LuckyBreak>
{
    public string Kind => "lucky";

    public IReadOnlyList<FieldError> Validate(LuckyBreak item, DateTimeOffset now, bool isNew) =>
        AnalysisNoteRules.Validate(item?.Text, "where we got lucky");

    public void Write(LuckyBreak item, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(entity);
        entity[nameof(item.Text)] = item.Text;
    }

    public LuckyBreak Read(TableEntity entity, ItemFields fields)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new LuckyBreak
        {
            Id = fields.Id,
            PostmortemId = fields.PostmortemId,
            Author = fields.Author,
            CreatedAt = fields.CreatedAt,
            ETag = fields.ETag,
            Text = entity.GetString(nameof(LuckyBreak.Text)) ?? string.Empty,
        };
    }
}
