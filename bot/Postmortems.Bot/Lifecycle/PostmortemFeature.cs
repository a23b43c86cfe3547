using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Lifecycle;

/// <summary>Starting, summarising, listing and switching postmortems; their life after that is <see cref="LifecycleFeature"/>'s.</summary>
public sealed class PostmortemFeature(
    PostmortemContext context,
    PostmortemRepository postmortems,
    PostmortemDocumentReader documents,
    ConversationStore conversations,
    GraphSync.Channels.IncidentChannels incidentChannels,
    Search.LabelSuggestions.Source labelsInUse,
    TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<PostmortemFeature>();
        services.AddSingleton<Search.LabelSuggestions.Source>();
        services.AddCommand<PostmortemFeature>("new", "new <title>", "Start a postmortem in this chat. Anyone can.", f => f.NewAsync, "start");
        services.AddCommand<PostmortemFeature>("summary", "summary", "Write the summary: what happened, customer impact, severity, key times.", f => f.SummaryCommandAsync);
        services.AddCommand<PostmortemFeature>("status", "status", "The whole postmortem at a glance.", f => f.StatusCommandAsync);
        services.AddCommand<PostmortemFeature>("list", "list [words]", "The postmortems of this chat; with words, search every postmortem (title, summary, factors, takeaways, services, tags).", f => f.ListCommandAsync);
        services.AddCommand<PostmortemFeature>("switch", "switch <id>", "Make another postmortem of this chat the active one.", f => f.SwitchCommandAsync);
        services.AddCardAction<PostmortemFeature>(PostmortemCards.SummaryFormVerb, f => f.SummaryFormAsync);
        services.AddCardAction<PostmortemFeature>(PostmortemCards.SummarySaveVerb, f => f.SaveSummaryAsync);
        services.AddCardAction<PostmortemFeature>(PostmortemCards.SwitchVerb, f => f.SwitchButtonAsync);
        return services;
    }

    public async Task<IReadOnlyList<Activity>> NewAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Arguments.Length == 0)
        {
            return [Replies.Text("Please give the postmortem a title, for example: new Checkout outage")];
        }

        var activity = command.Activity;
        var author = PostmortemContext.Author(activity);
        var createdAt = activity.Timestamp ?? time.GetUtcNow();
        var postmortem = new Postmortem
        {
            // Derived from the activity, so a redelivered "new" finds the postmortem it already created.
            Id = Ids.NewPostmortemId(createdAt, activity.Conversation!.Id + "|" + (activity.Id ?? Ids.NewItemId())),
            Title = command.Arguments,
            Facilitator = author,
            CreatedBy = author,
            CreatedAt = createdAt,
            ConversationId = activity.Conversation.Id,
        };
        var result = await postmortems.CreateAsync(command.TenantId, postmortem, cancellationToken).ConfigureAwait(false);
        if (result.Status == WriteStatus.Invalid)
        {
            return [Replies.Text("I couldn't start it: " + string.Join(" ", result.Errors.Select(e => e.Message)))];
        }

        var created = result.Value ?? postmortem;
        await conversations.LinkPostmortemAsync(command.TenantId, activity.Conversation.Id!, created.Id, cancellationToken).ConfigureAwait(false);
        bool inTeam = activity.ChannelData?.Team?.Id is not null;
        return [Replies.Card(PostmortemCards.Welcome(created, offerIncidentChannel: inTeam && incidentChannels.IsAvailable))];
    }

    public async Task<IReadOnlyList<Activity>> SummaryCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        string zone = PostmortemContext.ZoneOf(command.Activity);
        var inUse = await labelsInUse.ReadAsync(command.TenantId, cancellationToken).ConfigureAwait(false);
        return await context.ReplyForActiveAsync(command, p => PostmortemCards.SummaryForm(p, PostmortemCards.SummaryStateOf(p, zone), zone, inUse), cancellationToken).ConfigureAwait(false);
    }

    public async Task<InvokeResponse> SummaryFormAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        string zone = PostmortemContext.ZoneOf(action.Activity);
        var inUse = await labelsInUse.ReadAsync(action.TenantId, cancellationToken).ConfigureAwait(false);
        return await context.AnswerForCardAsync(action, (p, _) => InvokeResponse.Card(PostmortemCards.SummaryForm(p, PostmortemCards.SummaryStateOf(p, zone), zone, inUse)), cancellationToken).ConfigureAwait(false);
    }

    public Task<InvokeResponse> SaveSummaryAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (stored, values) => SaveSummaryAsync(action, stored, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveSummaryAsync(CardActionContext action, Postmortem stored, FormValues values, CancellationToken cancellationToken)
    {
        string zone = TimeZones.IsKnown(values["timeZone"]) ? values["timeZone"]! : "UTC";
        string? etag = values[FormCards.ETagKey] ?? stored.ETag;
        var save = new FormSave<Postmortem>(
            again => PostmortemCards.SummaryForm((again.Newer ?? stored) with { ETag = again.Newer?.ETag ?? etag }, again.State, zone),
            saved => SavedSummary(saved, zone))
        {
            InputIdOf = InputIdOf,
            ConflictBanner = "Someone else saved the summary while you were editing it. Your text is kept here: save again to replace their version, or type status to see it first.",
            Deleted = PostmortemContext.NotFound,
        };

        var errors = new List<FieldError>();
        var severity = PostmortemCards.ParseSeverity(values["severity"]);
        if (severity is null)
        {
            errors.Add(new FieldError("severity", "Please choose a severity from the list."));
        }

        var started = ParseMoment(values, "started", zone, errors);
        var detected = ParseMoment(values, "detected", zone, errors);
        var mitigated = ParseMoment(values, "mitigated", zone, errors);
        var updated = stored with
        {
            Summary = values["summary"],
            CustomerImpact = values["customerImpact"],
            Severity = severity ?? stored.Severity,
            StartedAt = started,
            DetectedAt = detected,
            MitigatedAt = mitigated,
            ReportedBy = values["reportedBy"],
            Services = Core.Search.Labels.Parse(values["services"]),
            Tags = Core.Search.Labels.Parse(values["tags"]),
            ETag = etag,
        };
        errors.AddRange(PostmortemRules.Validate(updated));
        return await save.SaveAsync(values, errors, () => postmortems.UpdateAsync(action.TenantId, updated, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Activity>> StatusCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        var document = postmortem is null ? null : await documents.ReadAsync(command.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return [Replies.Text(PostmortemContext.NoPostmortemText)];
        }

        // Events that are due (the meeting has started) show at once, whoever writes them down next.
        document = document with { Postmortem = Core.Lifecycle.PostmortemLifecycle.CatchUp(document.Postmortem, time.GetUtcNow()) };
        var seenBefore = await labelsInUse.SeenBeforeAsync(command.TenantId, postmortem!.Id, cancellationToken).ConfigureAwait(false);
        return [Replies.Card(PostmortemCards.Status(document, PostmortemContext.TodayOf(command.Activity, time), PostmortemContext.ZoneOf(command.Activity), seenBefore, labelsInUse.TabUrl))];
    }

    public async Task<IReadOnlyList<Activity>> ListCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Arguments.Length > 0)
        {
            return [await labelsInUse.SearchReplyAsync(command.TenantId, command.Arguments, PostmortemContext.TodayOf(command.Activity, time), cancellationToken).ConfigureAwait(false)];
        }

        string conversationId = command.Activity.Conversation!.Id!;
        var ids = await conversations.ListPostmortemIdsAsync(command.TenantId, conversationId, cancellationToken).ConfigureAwait(false);
        string? active = await conversations.GetActivePostmortemIdAsync(command.TenantId, conversationId, cancellationToken).ConfigureAwait(false);

        // Ids sort newest first; each is a point read in the tenant's partition.
        var found = await Task.WhenAll(ids.Order(StringComparer.Ordinal).Take(20).Select(id => postmortems.GetAsync(command.TenantId, id, cancellationToken))).ConfigureAwait(false);
        return [Replies.Card(PostmortemCards.List([.. found.OfType<Postmortem>()], active))];
    }

    public async Task<IReadOnlyList<Activity>> SwitchCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return [Replies.Text(await SwitchAsync(command.Activity, command.TenantId, command.Arguments, cancellationToken).ConfigureAwait(false))];
    }

    public async Task<InvokeResponse> SwitchButtonAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        string id = new FormValues(action.Data)[FormCards.PostmortemIdKey] ?? string.Empty;
        return InvokeResponse.Message(await SwitchAsync(action.Activity, action.TenantId, id, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> SwitchAsync(Activity activity, string tenantId, string id, CancellationToken cancellationToken)
    {
        string conversationId = activity.Conversation!.Id!;
        var ids = await conversations.ListPostmortemIdsAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        var postmortem = ids.Contains(id.Trim(), StringComparer.Ordinal) ? await postmortems.GetAsync(tenantId, id.Trim(), cancellationToken).ConfigureAwait(false) : null;
        if (postmortem is null)
        {
            return "I can't find that postmortem in this chat. Type list to see them with their ids.";
        }

        await conversations.SetActivePostmortemAsync(tenantId, conversationId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        return $"“{CardText.Plain(postmortem.Title)}” is now the active postmortem here.";
    }

    private static Cards.AdaptiveCard SavedSummary(Postmortem postmortem, string zone)
    {
        var suggestions = BlamelessLanguage.Check(new Dictionary<string, string?> { ["summary"] = postmortem.Summary, ["customerImpact"] = postmortem.CustomerImpact });
        var card = PostmortemCards.SummaryForm(postmortem, PostmortemCards.SummaryStateOf(postmortem, zone), zone);
        return card with
        {
            Body = [FormCards.Banner("Summary saved.", isProblem: false), .. card.Body, .. FormCards.Suggestions(suggestions)],
        };
    }

    private static DateTimeOffset? ParseMoment(FormValues values, string prefix, string zone, List<FieldError> errors)
    {
        string? date = values[prefix + "Date"];
        string? clock = values[prefix + "Time"];
        if (date is null && clock is null)
        {
            return null;
        }

        if (date is null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors.Add(new FieldError(prefix + "Date", date is null ? "Please add the date too." : "That date doesn't look right. Please pick it from the calendar."));
            return null;
        }

        if (clock is null || !TimeOnly.TryParseExact(clock, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add(new FieldError(prefix + "Time", clock is null ? "Please add the time too. A rough time is fine." : "That time doesn't look right. Please use hours and minutes, like 14:05."));
            return null;
        }

        return TimeZones.FromLocal(day.ToDateTime(at), zone);
    }

    private static string InputIdOf(string field) => field switch
    {
        "startedAt" => "startedDate",
        "detectedAt" => "detectedDate",
        "mitigatedAt" => "mitigatedDate",
        _ => field,
    };
}
