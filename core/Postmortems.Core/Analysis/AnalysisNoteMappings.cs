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

public sealed class WentWellMapping : TextItemMapping<WentWell>
{
    public override string Kind => "wentwell";

    public override IReadOnlyList<FieldError> Validate(WentWell item, DateTimeOffset now, bool isNew) =>
        AnalysisNoteRules.Validate(item?.Text, "what went well");

    protected override WentWell Create(ItemFields fields, string text) =>
        new() { Id = fields.Id, PostmortemId = fields.PostmortemId, Author = fields.Author, CreatedAt = fields.CreatedAt, ETag = fields.ETag, Text = text };
}

public sealed class LuckyBreakMapping : TextItemMapping<LuckyBreak>
{
    public override string Kind => "lucky";

    public override IReadOnlyList<FieldError> Validate(LuckyBreak item, DateTimeOffset now, bool isNew) =>
        AnalysisNoteRules.Validate(item?.Text, "where we got lucky");

    protected override LuckyBreak Create(ItemFields fields, string text) =>
        new() { Id = fields.Id, PostmortemId = fields.PostmortemId, Author = fields.Author, CreatedAt = fields.CreatedAt, ETag = fields.ETag, Text = text };
}
