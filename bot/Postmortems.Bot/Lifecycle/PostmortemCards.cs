using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Lifecycle;

public static class PostmortemCards
{
    public const string SummaryFormVerb = "summary.edit";
    public const string SummarySaveVerb = "summary.save";
    public const string SwitchVerb = "postmortem.switch";

    public const string PrimeDirective = "“" + Practice.PrimeDirective + "”";

    public const string BlamelessNote = Practice.BlamelessNote;

    public static Severity? ParseSeverity(string? value) =>
        value is null ? Severity.NotSet : Enum.TryParse<Severity>(value, ignoreCase: false, out var s) && Enum.IsDefined(s) ? s : null;

    /// <param name="offerIncidentChannel">In a team, with Graph set up: offer a channel of its own for this incident.</param>
    public static AdaptiveCard Welcome(Postmortem postmortem, bool offerIncidentChannel = false)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var card = new AdaptiveCard
        {
            Body =
            [
                FormCards.Heading($"Postmortem: {CardText.Literal(postmortem.Title)}"),
                FormCards.Subtle($"Started by {CardText.Literal(postmortem.CreatedBy.DisplayName)}, who facilitates it. Anyone here can add to it."),
                new Container(
                [
                    new TextBlock("The prime directive") { Weight = "bolder" },
                    new TextBlock(PrimeDirective) { Style = null },
                    new TextBlock(Practice.PrimeDirectiveAttribution) { IsSubtle = true, Size = "small", Spacing = "none" },
                ])
                { Style = "emphasis" },
                new TextBlock(BlamelessNote) { Size = "small" },
                new TextBlock("What happens next") { Weight = "bolder", Spacing = "medium" },
                new TextBlock("1. Write a short summary and the customer impact.\n2. Build the timeline together: one card per action or event, with what people expected and assumed at the time.\n3. Add ideas: how to detect, react, stop the bleeding, prevent, and where else the same risk stands.\n4. Agree on actions, each with an owner and a due date, in the postmortem meeting."),
                .. Analysis.AnalysisCards.WelcomePrompt(postmortem.Id),
            ],
            Actions =
            [
                new ExecuteAction("Summary", SummaryFormVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add timeline entry", TimelineCards.NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add idea", Remediation.IdeaCards.NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Add action", Actions.ActionCards.NewVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" },
                new ExecuteAction("Schedule the meeting", Meetings.MeetingCards.PreviewVerb) { Data = Meetings.MeetingCards.PreviewData(postmortem.Id, GraphSync.Meetings.MeetingKind.Postmortem), AssociatedInputs = "none" },
            ],
            FallbackText = $"Postmortem started: {postmortem.Title}",
        };
        return offerIncidentChannel
            ? card with { Actions = [.. card.Actions!, new ExecuteAction("Create an incident channel", Channels.IncidentChannelFeature.CreateVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "none" }] }
            : card;
    }

    /// <summary>
    /// The summary section. Times are entered as date + time in one time zone (default: the user's), since people
    /// remember incidents in their own local time.
    /// </summary>
    /// <param name="inUse">Services and tags other postmortems of the tenant use, suggested under their inputs; null: none shown.</param>
    public static AdaptiveCard SummaryForm(Postmortem postmortem, FormState state, string timeZone, Search.LabelSuggestions? inUse = null)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(state);
        var body = FormCards.Top("Summary", postmortem, state);

        body.AddRange(FormCards.Field(FormCards.TextInput("summary", "What happened", "One or two sentences: what is known so far", state, TextLimits.LongText, multiline: true), state));
        body.AddRange(FormCards.Field(FormCards.TextInput("customerImpact", "Customer impact", "Who was affected, how, and for how long", state, TextLimits.LongText, multiline: true), state));
        body.AddRange(FormCards.Field(new InputChoiceSet
        {
            Id = "severity",
            Label = "Severity",
            Style = "compact",
            Choices = SeverityLabels.All.Select(s => new Choice(s.Label, s.Severity.ToString())).ToList(),
            Value = state.Value("severity") ?? nameof(Severity.NotSet),
        }, state));
        foreach (var (prefix, label) in new[] { ("started", "Started"), ("detected", "Detected"), ("mitigated", "Mitigated") })
        {
            body.AddRange(FormCards.Field(new InputDate { Id = prefix + "Date", Label = $"{label}: date", Value = state.Value(prefix + "Date") }, state));
            body.AddRange(FormCards.Field(new InputTime { Id = prefix + "Time", Label = $"{label}: time", Value = state.Value(prefix + "Time") }, state));
        }

        body.Add(FormCards.Subtle($"Times are in {timeZone.Replace('_', ' ')}."));
        body.AddRange(FormCards.Field(FormCards.TextInput("reportedBy", "Reported by", "A customer, support, an alert, a colleague…", state, TextLimits.Name), state));
        body.AddRange(Search.LabelCards.Inputs(state, inUse));
        var data = FormCards.Data(postmortem.Id, etag: postmortem.ETag);
        data["timeZone"] = timeZone;
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Save summary", SummarySaveVerb) { Data = data, AssociatedInputs = "auto" }],
            FallbackText = "Postmortem summary",
        };
    }

    public static FormState SummaryStateOf(Postmortem postmortem, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var values = new Dictionary<string, string?>
        {
            ["summary"] = postmortem.Summary,
            ["customerImpact"] = postmortem.CustomerImpact,
            ["severity"] = postmortem.Severity.ToString(),
            ["reportedBy"] = postmortem.ReportedBy,
            ["services"] = string.Join(", ", postmortem.Services),
            ["tags"] = string.Join(", ", postmortem.Tags),
        };
        foreach (var (prefix, at) in new[] { ("started", postmortem.StartedAt), ("detected", postmortem.DetectedAt), ("mitigated", postmortem.MitigatedAt) })
        {
            if (at is { } instant)
            {
                var local = TimeZones.InZone(instant, timeZone);
                values[prefix + "Date"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                values[prefix + "Time"] = local.ToString("HH:mm", CultureInfo.InvariantCulture);
            }
        }

        return FormState.From(values);
    }

    /// <summary>The whole postmortem at a glance.</summary>
    /// <param name="seenBefore">Earlier postmortems whose conditions resemble this one's (shown with their reason), if looked up.</param>
    /// <param name="tabUrl">The tab's page of a postmortem, to link them; null without a public address.</param>
    public static AdaptiveCard Status(PostmortemDocument document, DateOnly today, string timeZone, IReadOnlyList<Core.Overview.SeenBefore>? seenBefore = null, Func<string, Uri?>? tabUrl = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var p = document.Postmortem;
        var open = document.Actions.Where(a => a.Status is ActionStatus.Open or ActionStatus.InProgress).ToList();
        var facts = new List<Fact>
        {
            new("Status", StatusTitle(p.Status)),
            new("Severity", SeverityLabels.Label(p.Severity)),
            new("Facilitator", CardText.Literal(p.Facilitator.DisplayName)),
        };
        facts.AddRange(LifecycleCards.RoleFacts(p));
        foreach (var (label, at) in new[] { ("Started", p.StartedAt), ("Detected", p.DetectedAt), ("Mitigated", p.MitigatedAt) })
        {
            if (at is { } instant)
            {
                facts.Add(new Fact(label, $"{TimeZones.InZone(instant, timeZone).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)} ({TimelineCards.ZoneName(timeZone)})"));
            }
        }

        facts.AddRange(Search.LabelCards.Facts(p));
        facts.Add(new Fact("Timeline", Count(document.Timeline.Count, "entry", "entries")));
        facts.Add(new Fact("Ideas", Count(document.Ideas.Count, "idea", "ideas")));
        facts.Add(new Fact("Actions", $"{open.Count} open, {open.Count(a => ActionItemRules.IsOverdue(a, today))} overdue, {document.Actions.Count(a => a.Status == ActionStatus.Done)} done"));
        facts.Add(new Fact("5 whys", Count(document.Whys.Count, "chain", "chains")));
        facts.Add(new Fact("Takeaways", Count(document.Takeaways.Count, "takeaway", "takeaways")));
        var body = new List<CardElement>
        {
            FormCards.Heading(CardText.Literal(p.Title)),
            new TextBlock(string.IsNullOrWhiteSpace(p.Summary) ? "No summary yet." : CardText.Literal(FormCards.Shorten(p.Summary, 600))),
        };
        if (!string.IsNullOrWhiteSpace(p.CustomerImpact))
        {
            body.Add(new TextBlock("Customer impact: " + CardText.Literal(FormCards.Shorten(p.CustomerImpact, 600))) { IsSubtle = true });
        }

        body.Add(new FactSet(facts));
        body.AddRange(Analysis.AnalysisCards.Section(document));
        body.AddRange(Search.LabelCards.SeenBefore(seenBefore, tabUrl));
        return new AdaptiveCard
        {
            Body = body,
            Actions = [.. LifecycleCards.StatusButtons(p)],
            FallbackText = $"Status of {p.Title}",
        };
    }

    /// <summary>The postmortems of this conversation, newest first, with the active one marked and a button to switch.</summary>
    public static AdaptiveCard List(IReadOnlyList<Postmortem> postmortems, string? activeId)
    {
        ArgumentNullException.ThrowIfNull(postmortems);
        var body = new List<CardElement> { FormCards.Heading("Postmortems in this chat") };
        if (postmortems.Count == 0)
        {
            body.Add(new TextBlock(PostmortemContext.NoPostmortemText));
        }

        foreach (var p in postmortems.Take(20))
        {
            bool active = p.Id == activeId;
            body.Add(new Container(
            [
                new TextBlock(CardText.Literal(p.Title)) { Weight = "bolder" },
                FormCards.Subtle($"{StatusTitle(p.Status)} · created {p.CreatedAt.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} by {CardText.Literal(p.CreatedBy.DisplayName)}{(active ? " · active" : string.Empty)} · id {p.Id}"),
                .. active ? Array.Empty<CardElement>() : [new ActionSet([new ExecuteAction("Make active", SwitchVerb) { Data = FormCards.Data(p.Id), AssociatedInputs = "none" }])],
            ])
            { Separator = true });
        }

        return new AdaptiveCard { Body = body, FallbackText = "Postmortems in this chat" };
    }

    /// <summary>The status as a label: "Draft", "Meeting scheduled", "In review", "Published", "Closed".</summary>
    public static string StatusTitle(PostmortemStatus status)
    {
        string text = PostmortemRules.Describe(status);
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
