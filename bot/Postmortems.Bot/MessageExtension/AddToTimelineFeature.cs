using System.Text.Json;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// "Add to postmortem timeline" on a message: composeExtension/fetchTask opens the entry form filled from the message;
/// composeExtension/submitAction saves it with the chat card's rules. The postmortem is one of this conversation's (taken
/// from the conversation Teams signed, never from card data); the entry's id comes from the message's, so a message is in
/// a timeline once.
/// </summary>
public sealed class AddToTimelineFeature(
    ConversationStore conversations,
    PostmortemRepository postmortems,
    PostmortemItemStore<TimelineEntry> entries,
    TimeProvider time)
{
    public const string CommandId = "addToTimeline";

    /// <summary>A conversation can hold many postmortems; the choice lists the newest.</summary>
    private const int MaxChoices = 10;

    private const string UnreadableText = "I couldn't read this message, so nothing was added. Please try again, or type entry in the chat to add it by hand.";

    private const string OtherChatText = "That postmortem isn't one of this chat's, so nothing was added. Please open the action again from a message in this chat.";

    public async Task<InvokeResponse> FetchTaskAsync(Activity activity, JsonElement value, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var message = MessagePayload.From(value);
        if (message is not { HasUsableId: true })
        {
            return InvokeResponse.DialogMessage(UnreadableText);
        }

        string zone = PostmortemContext.ZoneOf(activity);
        var target = await TargetAsync(activity, tenantId, cancellationToken).ConfigureAwait(false);
        if (target.ChosenId is { } chosen
            && await entries.GetAsync(tenantId, chosen, TimelineEntryForm.EntryIdFor(message.Id!), cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return AlreadyThere(target, existing, message.Link);
        }

        var prefill = TimelinePrefill.From(message, zone, time.GetUtcNow());
        var state = FormState.From(prefill.Values) with { Banner = prefill.Note };
        return Dialog(target, new EntrySource(message.Id!, message.Link), state, zone);
    }

    public async Task<InvokeResponse> SubmitActionAsync(Activity activity, JsonElement value, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var data = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var values = new FormValues(data);
        var payload = MessagePayload.From(value);
        string? messageId = payload is { HasUsableId: true } ? payload.Id : values[AddToTimelineCards.MessageIdKey];
        if (data.ValueKind != JsonValueKind.Object || !(new MessagePayload { Id = messageId }).HasUsableId)
        {
            return InvokeResponse.DialogMessage(UnreadableText);
        }

        var target = await TargetAsync(activity, tenantId, cancellationToken).ConfigureAwait(false);
        string zone = values["timeZone"] ?? PostmortemContext.ZoneOf(activity);
        var source = new EntrySource(messageId!, MessagePayload.TeamsLink(values[AddToTimelineCards.LinkKey]), values[FormCards.ItemIdKey], values[FormCards.ETagKey]);
        var author = PostmortemContext.Author(activity);

        Postmortem? postmortem;
        if (target.IsNew)
        {
            postmortem = NewPostmortem(activity, values[AddToTimelineCards.NewTitleKey], messageId!, author);
        }
        else
        {
            // Only this conversation's postmortems: an id from another chat or tenant (a forged card) changes nothing.
            postmortem = target.Postmortems.FirstOrDefault(p => p.Id == (values[FormCards.PostmortemIdKey] ?? target.ChosenId));
            if (postmortem is null)
            {
                return InvokeResponse.DialogMessage(OtherChatText);
            }

            // A published or closed postmortem keeps its timeline as it was shared (AnalysisFreeze): nothing is added.
            if (Core.Lifecycle.PostmortemLifecycle.AnalysisFrozenReason(postmortem) is { } frozen)
            {
                return InvokeResponse.DialogMessage(frozen);
            }
        }

        var (entry, errors) = TimelineEntryForm.Read(values, postmortem?.Id ?? "new", messageId!, author, time.GetUtcNow());
        if (target.IsNew && postmortem is null)
        {
            errors.Add(new FieldError(AddToTimelineCards.NewTitleKey, "Please give the postmortem a title."));
        }

        if (source.ItemId is not null && source.ItemId != entry.Id)
        {
            return InvokeResponse.DialogMessage(UnreadableText);
        }

        WriteResult<TimelineEntry>? written = null;
        var save = new FormSave<TimelineEntry>(
            again => AddToTimelineCards.Dialog(target, source with { ETag = again.Newer?.ETag ?? source.ETag }, again.State, zone),
            saved => new AdaptiveCard { Body = [new TextBlock("Saved.")] })
        {
            InputIdOf = TimelineEntryForm.InputIdOf,
            ConflictBanner = "Someone else changed this entry while you were editing it. Your text is kept here: save again to replace their version.",
            Deleted = InvokeResponse.DialogMessage("This timeline entry was deleted meanwhile, so nothing was changed. You can add the message again."),
        };

        var answer = await save.SaveAsync(values, errors, async () => written = await WriteAsync(activity, tenantId, target, postmortem!, entry, source, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return written switch
        {
            { Status: WriteStatus.Saved, Value: { } saved } => InvokeResponse.DialogMessage(Confirmation(postmortem!, saved, source.ItemId is not null)),
            { Status: WriteStatus.AlreadyExists, Value: { } stored } when stored.Author.ObjectId == author.ObjectId && stored.Description == entry.Description =>
                InvokeResponse.DialogMessage(Confirmation(postmortem!, stored, updated: false)),
            { Status: WriteStatus.AlreadyExists, Value: { } stored } => AlreadyThere(target with { ChosenId = postmortem!.Id }, stored, source.Link),
            _ => AsDialog(answer),
        };
    }

    /// <summary>Creates the postmortem first when the chat had none (with an id derived from the message, so a retried submit makes one), then adds or updates the entry.</summary>
    private async Task<WriteResult<TimelineEntry>> WriteAsync(Activity activity, string tenantId, EntryTarget target, Postmortem postmortem, TimelineEntry entry, EntrySource source, CancellationToken cancellationToken)
    {
        if (target.IsNew)
        {
            var created = await postmortems.CreateAsync(tenantId, postmortem, cancellationToken).ConfigureAwait(false);
            if (created.Status == WriteStatus.Invalid)
            {
                return WriteResult<TimelineEntry>.Invalid([.. created.Errors.Select(e => e with { Field = AddToTimelineCards.NewTitleKey })]);
            }

            postmortem = created.Value ?? postmortem;
            await conversations.LinkPostmortemAsync(tenantId, activity.Conversation!.Id!, postmortem.Id, cancellationToken).ConfigureAwait(false);
        }

        if (source.ItemId is null)
        {
            return await entries.AddAsync(tenantId, postmortem, entry with { PostmortemId = postmortem.Id }, cancellationToken).ConfigureAwait(false);
        }

        var stored = await entries.GetAsync(tenantId, postmortem.Id, source.ItemId, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? WriteResult<TimelineEntry>.NotFound()
            : await entries.UpdateAsync(tenantId, entry with { Author = stored.Author, CreatedAt = stored.CreatedAt, ETag = source.ETag ?? stored.ETag }, cancellationToken).ConfigureAwait(false);
    }

    private Postmortem? NewPostmortem(Activity activity, string? title, string messageId, Person author)
    {
        if (title is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return new Postmortem
        {
            Id = Ids.NewPostmortemId(now, activity.Conversation!.Id + "|message|" + messageId),
            Title = title,
            Facilitator = author,
            CreatedBy = author,
            CreatedAt = now,
            ConversationId = activity.Conversation.Id,
        };
    }

    /// <summary>The conversation's postmortems, newest first, with the active one chosen.</summary>
    private async Task<EntryTarget> TargetAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        string conversationId = activity.Conversation!.Id!;
        var idsTask = conversations.ListPostmortemIdsAsync(tenantId, conversationId, cancellationToken);
        var activeTask = conversations.GetActivePostmortemIdAsync(tenantId, conversationId, cancellationToken);
        var ids = await idsTask.ConfigureAwait(false);
        string? active = await activeTask.ConfigureAwait(false);

        // Postmortem ids sort newest first; the active one is offered even when it is older than the newest ten.
        var wanted = ids.Order(StringComparer.Ordinal).Take(MaxChoices).ToList();
        if (active is not null && ids.Contains(active) && !wanted.Contains(active))
        {
            wanted[^1] = active;
        }

        var found = await Task.WhenAll(wanted.Select(id => postmortems.GetRecentAsync(tenantId, id, cancellationToken))).ConfigureAwait(false);
        var list = found.OfType<Postmortem>().ToList();
        string? chosen = list.Any(p => p.Id == active) ? active : list.FirstOrDefault()?.Id;
        return new EntryTarget(list, chosen);
    }

    private static InvokeResponse AlreadyThere(EntryTarget target, TimelineEntry existing, Uri? link)
    {
        string banner = $"This message is already in the timeline (added by {existing.Author.DisplayName}), so it's stored once. You can change the entry here.";
        var state = FormState.From(TimelineEntryForm.ValuesOf(existing)) with { Banner = banner };
        var onlyThis = target with { Postmortems = [.. target.Postmortems.Where(p => p.Id == existing.PostmortemId)], ChosenId = existing.PostmortemId };
        return Dialog(onlyThis, new EntrySource(existing.SourceMessageId ?? string.Empty, existing.SourceLink ?? link, existing.Id, existing.ETag), state, existing.TimeZone);
    }

    private static InvokeResponse Dialog(EntryTarget target, EntrySource source, FormState state, string zone) =>
        InvokeResponse.Dialog(AddToTimelineCards.Title, AddToTimelineCards.Dialog(target, source, state, zone), "large");

    private static string Confirmation(Postmortem postmortem, TimelineEntry entry, bool updated)
    {
        string when = TimeZones.InZone(entry.OccurredAt, entry.TimeZone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        string text = $"{(updated ? "Updated in" : "Added to")} the timeline of {CardText.Plain(postmortem.Title)}: {when} ({entry.TimeZone.Replace('_', ' ')}), {CardText.Plain(entry.Actor)}. Type timeline in the chat to see it.";
        var wording = BlamelessLanguage.Check(
            new Dictionary<string, string?> { ["description"] = entry.Description, ["outcome"] = entry.Outcome, ["expectations"] = entry.Expectations, ["assumptions"] = entry.Assumptions },
            [entry.Actor, entry.Author.DisplayName]);
        return wording.Count == 0
            ? text
            : $"{text} A note on wording: \"{CardText.Plain(wording[0].Phrase)}\": {wording[0].Suggestion} It's saved as written; edit it if you'd like.";
    }

    /// <summary>The shared form-save answer (a card for Universal Actions) as a dialog answer.</summary>
    private static InvokeResponse AsDialog(InvokeResponse answer) => answer.Body switch
    {
        AdaptiveCardInvokeResponse { Value: AdaptiveCard card } => InvokeResponse.Dialog(AddToTimelineCards.Title, card, "large"),
        AdaptiveCardInvokeResponse { Value: string message } => InvokeResponse.DialogMessage(message),
        AdaptiveCardInvokeResponse { Value: InvokeError error } => InvokeResponse.DialogMessage(error.Message),
        _ => answer,
    };
}
