using System.Globalization;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.Timeline;

/// <summary>The "entry" and "timeline" commands and the timeline entry form's buttons.</summary>
public sealed class TimelineFeature(PostmortemContext context, PostmortemItemStore<TimelineEntry> entries, TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<TimelineFeature>();
        services.AddCommand<TimelineFeature>("entry", "entry", "Add a timeline entry: what happened, when, and what people expected and assumed.", f => f.NewEntryCommandAsync, "add entry");
        services.AddCommand<TimelineFeature>("timeline", "timeline", "Show the timeline in time order.", f => f.TimelineCommandAsync);
        services.AddCardAction<TimelineFeature>(TimelineCards.SaveVerb, f => f.SaveAsync);
        services.AddCardAction<TimelineFeature>(TimelineCards.NewVerb, f => f.NewFormAsync);
        services.AddCardAction<TimelineFeature>(TimelineCards.EditVerb, f => f.EditAsync);
        services.AddCardAction<TimelineFeature>(TimelineCards.PageVerb, f => f.PageAsync);
        return services;
    }

    public Task<IReadOnlyList<Activity>> NewEntryCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, p => TimelineCards.Form(p, FormState.Empty, Ids.NewItemId(), PostmortemContext.ZoneOf(command.Activity)), cancellationToken);

    public Task<IReadOnlyList<Activity>> TimelineCommandAsync(CommandContext command, CancellationToken cancellationToken) =>
        context.ReplyForActiveAsync(command, async p => TimelineCards.List(p, await ListInOrderAsync(command.TenantId, p.Id, cancellationToken).ConfigureAwait(false), 0, PostmortemContext.ZoneOf(command.Activity)), cancellationToken);

    public Task<InvokeResponse> SaveAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => SaveAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string? itemId = values[FormCards.ItemIdKey];
        string? etag = values[FormCards.ETagKey];
        string zone = values["timeZone"] ?? PostmortemContext.ZoneOf(action.Activity);
        var save = new FormSave<TimelineEntry>(
            again => TimelineCards.Form(postmortem, again.State, cardId, zone, itemId, again.Newer?.ETag ?? etag),
            saved => TimelineCards.Saved(postmortem, saved, Suggestions(saved), updated: itemId is not null, PostmortemContext.ZoneOf(action.Activity)))
        {
            InputIdOf = InputIdOf,
            ConflictBanner = "Someone else changed this entry while you were editing it. Your text is kept here: save again to replace their version, or type timeline to see it first.",
            Deleted = Deleted,
        };

        var (occurredAt, timeErrors) = ParseOccurredAt(values);
        var kind = TimelineCards.ParseKind(values["kind"]);
        var author = PostmortemContext.Author(action.Activity);
        var entry = new TimelineEntry
        {
            Id = itemId ?? PostmortemContext.ItemIdFor(cardId, author),
            PostmortemId = postmortem.Id,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            OccurredAt = occurredAt ?? time.GetUtcNow(),
            TimeZone = zone,
            Actor = values["actor"] ?? string.Empty,
            Description = values["description"] ?? string.Empty,
            Outcome = values["outcome"],
            Expectations = values["expectations"],
            Assumptions = values["assumptions"],
            Kind = kind ?? TimelineEntryKind.Other,
            SignalsAvailable = values["signals"],
        };
        var errors = timeErrors.Concat(TimelineEntryRules.Validate(entry, time.GetUtcNow())).ToList();
        if (kind is null)
        {
            errors.Add(new FieldError("kind", "Please choose a kind from the list."));
        }

        return await save.SaveAsync(values, errors, () => WriteAsync(action.TenantId, postmortem, entry, itemId, etag, cancellationToken)).ConfigureAwait(false);
    }

    private static InvokeResponse Deleted { get; } = InvokeResponse.ActionError(404, "NotFound", "This timeline entry was deleted, so it can't be edited.");

    /// <summary>Adds a new entry; an edit replaces the stored one (with the version the card showed) and keeps who first wrote it and when.</summary>
    private async Task<WriteResult<TimelineEntry>> WriteAsync(string tenantId, Postmortem postmortem, TimelineEntry entry, string? itemId, string? etag, CancellationToken cancellationToken)
    {
        if (itemId is null)
        {
            return await entries.AddAsync(tenantId, postmortem, entry, cancellationToken).ConfigureAwait(false);
        }

        var stored = await entries.GetAsync(tenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? WriteResult<TimelineEntry>.NotFound()
            : await entries.UpdateAsync(tenantId, entry with { Author = stored.Author, CreatedAt = stored.CreatedAt, ETag = etag ?? stored.ETag }, cancellationToken).ConfigureAwait(false);
    }

    public Task<InvokeResponse> NewFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (p, _) => InvokeResponse.Card(TimelineCards.Form(p, FormState.Empty, Ids.NewItemId(), PostmortemContext.ZoneOf(action.Activity))), cancellationToken);

    public Task<InvokeResponse> EditAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) =>
            {
                var entry = values[FormCards.ItemIdKey] is { } itemId ? await entries.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
                return entry is null
                    ? InvokeResponse.ActionError(404, "NotFound", "This timeline entry no longer exists.")
                    : InvokeResponse.Card(TimelineCards.Form(postmortem, TimelineCards.StateOf(entry), Ids.NewItemId(), entry.TimeZone, entry.Id, entry.ETag));
            },
            cancellationToken);

    public Task<InvokeResponse> PageAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(
            action,
            async (postmortem, values) => InvokeResponse.Card(TimelineCards.List(postmortem, await ListInOrderAsync(action.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false), FormCards.PageOf(values), PostmortemContext.ZoneOf(action.Activity))),
            cancellationToken);

    private async Task<List<TimelineEntry>> ListInOrderAsync(string tenantId, string postmortemId, CancellationToken cancellationToken) =>
        [.. Core.Timeline.TimelineClock.InOrder(await entries.ListAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false))];

    private static IReadOnlyList<LanguageSuggestion> Suggestions(TimelineEntry entry) =>
        BlamelessLanguage.Check(
            new Dictionary<string, string?>
            {
                ["description"] = entry.Description,
                ["outcome"] = entry.Outcome,
                ["expectations"] = entry.Expectations,
                ["assumptions"] = entry.Assumptions,
            },
            [entry.Actor, entry.Author.DisplayName]);

    /// <summary>Domain field names that differ from the form's input ids.</summary>
    private static string InputIdOf(string field) => field switch
    {
        "occurredAt" => "occurredDate",
        "signalsAvailable" => "signals",
        _ => field,
    };

    private static (DateTimeOffset? At, List<FieldError> Errors) ParseOccurredAt(FormValues values)
    {
        var errors = new List<FieldError>();
        string? date = values["occurredDate"];
        string? clock = values["occurredTime"];
        string zone = values["timeZone"] ?? "UTC";
        DateOnly day = default;
        TimeOnly at = default;
        if (date is null)
        {
            errors.Add(new FieldError("occurredDate", "Please choose the date."));
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors.Add(new FieldError("occurredDate", "That date doesn't look right. Please pick it from the calendar."));
        }

        if (clock is null)
        {
            errors.Add(new FieldError("occurredTime", "Please add the time. A rough time is fine."));
        }
        else if (!TimeOnly.TryParseExact(clock, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            errors.Add(new FieldError("occurredTime", "That time doesn't look right. Please use hours and minutes, like 14:05."));
        }

        if (Core.Timeline.TimelineClock.ParseSeconds(values["occurredSeconds"]) is not { } seconds)
        {
            errors.Add(new FieldError("occurredSeconds", "Seconds are a whole number from 0 to 59, or leave them empty."));
        }
        else if (seconds > 0)
        {
            at = new TimeOnly(at.Hour, at.Minute, seconds);
        }

        if (errors.Count > 0 || !TimeZones.IsKnown(zone))
        {
            return (null, errors);
        }

        return (TimeZones.FromLocal(day.ToDateTime(at), zone), errors);
    }
}
