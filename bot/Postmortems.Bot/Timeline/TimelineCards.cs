using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.Timeline;

public static class TimelineCards
{
    public const string SaveVerb = "entry.save";
    public const string NewVerb = "entry.new";
    public const string EditVerb = "entry.edit";
    public const string PageVerb = "timeline.page";
    public const int PageSize = 8;

    /// <summary>Zones offered besides the user's own; a short list keeps the card small and the choice quick.</summary>
    private static readonly string[] CommonZones =
    [
        "UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
        "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Helsinki", "Africa/Johannesburg", "Asia/Dubai",
        "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
    ];

    private static readonly (TimelineEntryKind Kind, string Value, string Title)[] Kinds =
    [
        (TimelineEntryKind.Action, "action", "Action someone took"),
        (TimelineEntryKind.Detection, "detection", "Detection"),
        (TimelineEntryKind.Report, "report", "Report (from a customer, support, a colleague)"),
        (TimelineEntryKind.Communication, "communication", "Communication"),
        (TimelineEntryKind.CustomerImpact, "customerImpact", "Customer impact"),
        (TimelineEntryKind.Other, "other", "Other"),
    ];

    public static TimelineEntryKind? ParseKind(string? value) =>
        value is null ? TimelineEntryKind.Action : Kinds.Where(k => k.Value == value).Select(k => (TimelineEntryKind?)k.Kind).FirstOrDefault();

    public static string KindValue(TimelineEntryKind kind) => Kinds.First(k => k.Kind == kind).Value;

    private static string KindTitle(TimelineEntryKind kind) => Kinds.First(k => k.Kind == kind).Title;

    /// <summary>
    /// The timeline entry form. Input ids are part of the product's contract: occurredDate, occurredTime, occurredSeconds (optional), timeZone,
    /// actor, description, outcome, expectations, assumptions, kind, signals.
    /// </summary>
    public static AdaptiveCard Form(Postmortem postmortem, FormState state, string cardId, string defaultTimeZone, string? itemId = null, string? etag = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        string zone = state.Value("timeZone") ?? defaultTimeZone;
        var zones = new[] { zone }.Concat(CommonZones).Distinct(StringComparer.Ordinal).Select(z => new Choice(z.Replace('_', ' '), z)).ToList();
        var body = FormCards.Top(itemId is null ? "Add a timeline entry" : "Edit a timeline entry", postmortem, state);

        body.Add(new TextBlock("One action or event: what happened, and what people expected and assumed at the time. A rough time is fine; you can refine it in the meeting.") { IsSubtle = true, Size = "small" });
        body.AddRange(FormCards.Field(new InputDate { Id = "occurredDate", Label = "Date", IsRequired = true, ErrorMessage = "Please choose the date.", Value = state.Value("occurredDate") }, state));
        body.AddRange(FormCards.Field(new InputTime { Id = "occurredTime", Label = "Time", IsRequired = true, ErrorMessage = "Please add the time.", Value = state.Value("occurredTime") }, state));
        body.AddRange(FormCards.Field(FormCards.TextInput("occurredSeconds", "Seconds (optional)", "0 to 59, for events seconds apart", state, 2), state));
        body.AddRange(FormCards.Field(new InputChoiceSet { Id = "timeZone", Label = "Time zone", Style = "filtered", Choices = zones, Value = zone }, state));
        body.AddRange(FormCards.Field(FormCards.TextInput("actor", "Who or what acted", "A person, a team or a system", state, TextLimits.Name, required: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("description", "What was done, or what happened", null, state, TextLimits.LongText, required: true, multiline: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("outcome", "Outcome", "What happened as a result", state, TextLimits.LongText, multiline: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("expectations", "What was expected at the time", null, state, TextLimits.LongText, multiline: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("assumptions", "What was assumed at the time", null, state, TextLimits.LongText, multiline: true), state));
        body.AddRange(FormCards.Field(new InputChoiceSet
        {
            Id = "kind",
            Label = "Kind",
            Style = "compact",
            Choices = Kinds.Select(k => new Choice(k.Title, k.Value)).ToList(),
            Value = state.Value("kind") ?? "action",
        }, state));
        body.AddRange(FormCards.Field(FormCards.TextInput("signals", "Signals that were available", "Dashboards, alerts, logs: whether or not anyone saw them", state, TextLimits.LongText, multiline: true), state));

        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save entry", SaveVerb) { Data = FormCards.Data(postmortem.Id, cardId, itemId, etag), AssociatedInputs = "auto" }],
            FallbackText = "Add a timeline entry",
        };
    }

    /// <param name="viewerZone">The time zone of whoever saved it (the entry's own zone when not given): the time is shown there.</param>
    public static AdaptiveCard Saved(Postmortem postmortem, TimelineEntry entry, IReadOnlyList<LanguageSuggestion> suggestions, bool updated = false, string? viewerZone = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(entry);
        var body = new List<CardElement>
        {
            FormCards.Banner(updated ? "Timeline entry updated." : "Timeline entry saved.", isProblem: false),
            FormCards.Subtle(CardText.Literal(postmortem.Title)),
            new FactSet(Facts(entry, viewerZone ?? entry.TimeZone, shorten: false)),
        };
        body.AddRange(FormCards.Suggestions(suggestions));
        return new AdaptiveCard
        {
            Body = body,
            Actions =
            [
                new ExecuteAction("Edit", EditVerb) { Data = FormCards.Data(postmortem.Id, itemId: entry.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add another", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add a contributing factor", Analysis.FactorCards.NewVerb) { Data = Analysis.FactorCards.FromEntryData(postmortem.Id, entry.Id), AssociatedInputs = "none" },
            ],
            FallbackText = $"Timeline entry saved: {entry.Description}",
        };
    }

    /// <summary>
    /// The timeline in time order, <see cref="PageSize"/> entries a page, each with Edit. Every time is shown in
    /// <paramref name="viewerZone"/> (the zone of whoever asked), so the list reads in one zone.
    /// </summary>
    public static AdaptiveCard List(Postmortem postmortem, IReadOnlyList<TimelineEntry> entries, int page, string viewerZone = "UTC")
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(entries);
        (page, int pages) = FormCards.Paging(entries.Count, PageSize, page);
        var body = new List<CardElement>
        {
            FormCards.Heading("Timeline"),
            FormCards.Subtle(entries.Count == 0 ? CardText.Literal(postmortem.Title) : $"{CardText.Literal(postmortem.Title)} · {entries.Count} entries{(pages > 1 ? $" · page {page + 1} of {pages}" : string.Empty)} · times in {ZoneName(viewerZone)}"),
        };
        if (entries.Count == 0)
        {
            body.Add(new TextBlock("No entries yet. Add the first one: what was the first sign that something was wrong?"));
        }

        foreach (var entry in entries.Skip(page * PageSize).Take(PageSize))
        {
            body.Add(new Container(
            [
                new FactSet(Facts(entry, viewerZone, shorten: true)),
                new ActionSet([new ExecuteAction("Edit", EditVerb) { Data = FormCards.Data(postmortem.Id, itemId: entry.Id), AssociatedInputs = "none" }]),
            ])
            { Separator = true, Spacing = "medium" });
        }

        var actions = FormCards.PageButtons(postmortem.Id, PageVerb, page, pages,
            new ExecuteAction("Add entry", NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" });
        return new AdaptiveCard { Body = body, Actions = actions, FallbackText = $"Timeline of {postmortem.Title}" };
    }

    /// <summary>The stored entry as form values, for Edit.</summary>
    public static FormState StateOf(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var local = TimeZones.InZone(entry.OccurredAt, entry.TimeZone);
        return FormState.From(new Dictionary<string, string?>
        {
            ["occurredDate"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["occurredTime"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["occurredSeconds"] = local.Second == 0 ? null : local.Second.ToString(CultureInfo.InvariantCulture),
            ["timeZone"] = entry.TimeZone,
            ["actor"] = entry.Actor,
            ["description"] = entry.Description,
            ["outcome"] = entry.Outcome,
            ["expectations"] = entry.Expectations,
            ["assumptions"] = entry.Assumptions,
            ["kind"] = KindValue(entry.Kind),
            ["signals"] = entry.SignalsAvailable,
        });
    }

    /// <summary>
    /// When the entry happened, in <paramref name="viewerZone"/>: "Fri 20 Nov 2026, 10:00 (Europe/Paris)". An entry
    /// entered in another zone says so, as it was typed: "… · entered as 09:00 Europe/London" (with the day when that
    /// differs), so the discussion can refer to either.
    /// </summary>
    public static string When(TimelineEntry entry, string viewerZone)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string zone = TimeZones.IsKnown(viewerZone) ? viewerZone : entry.TimeZone;
        var seen = TimeZones.InZone(entry.OccurredAt, zone);
        string text = $"{seen.ToString("ddd d MMM yyyy, ", CultureInfo.InvariantCulture)}{TimelineClock.Format(seen)} ({ZoneName(zone)})";
        if (!string.Equals(entry.TimeZone, zone, StringComparison.Ordinal))
        {
            var entered = TimeZones.InZone(entry.OccurredAt, entry.TimeZone);
            string clock = entered.Date == seen.Date
                ? TimelineClock.Format(entered)
                : entered.ToString("ddd d MMM, ", CultureInfo.InvariantCulture) + TimelineClock.Format(entered);
            text += $" · entered as {clock} {ZoneName(entry.TimeZone)}";
        }

        return text;
    }

    /// <summary>A zone's IANA id as people read it: "America/New York".</summary>
    public static string ZoneName(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.Replace('_', ' ');
    }

    private static List<Fact> Facts(TimelineEntry entry, string viewerZone, bool shorten)
    {
        string Show(string? text) => CardText.Literal(shorten ? FormCards.Shorten(text) : text);
        var facts = new List<Fact>
        {
            new("When", When(entry, viewerZone)),
            new("Who or what", Show(entry.Actor)),
            new("What happened", Show(entry.Description)),
        };
        AddIf(facts, "Outcome", Show(entry.Outcome));
        AddIf(facts, "Expected", Show(entry.Expectations));
        AddIf(facts, "Assumed", Show(entry.Assumptions));
        facts.Add(new Fact("Kind", KindTitle(entry.Kind)));
        AddIf(facts, "Signals", Show(entry.SignalsAvailable));
        if (!shorten)
        {
            facts.Add(new Fact("Added by", CardText.Literal(entry.Author.DisplayName)));
        }

        return facts;
    }

    private static void AddIf(List<Fact> facts, string title, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            facts.Add(new Fact(title, value));
        }
    }
}
