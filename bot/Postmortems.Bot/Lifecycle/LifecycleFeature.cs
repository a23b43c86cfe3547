using Microsoft.Extensions.Options;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core;
using Postmortems.Core.Common;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Lifecycle;

/// <summary>
/// The life of a postmortem from the chat: its roles (handing the facilitator role over), the review, the checklist and
/// publishing, closing, reopening with a reason, and calling off the meeting. The rules are core's
/// <see cref="PostmortemLifecycle"/>; this says them to people and writes the result with the version it read.
/// </summary>
public sealed partial class LifecycleFeature(
    PostmortemContext context,
    PostmortemRepository postmortems,
    PostmortemDocumentReader documents,
    PeopleDirectory people,
    ConversationReferences references,
    ConnectorClient connector,
    IOptions<PostmortemOptions> practice,
    TimeProvider time,
    ILogger<LifecycleFeature> logger)
{
    private const string ChangedMeanwhile = "Someone changed this postmortem just now, so nothing was changed. Please try again.";

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<LifecycleFeature>();
        services.AddSingleton<AnalysisFreeze>();
        services.AddSingleton<Core.Outbox.IOutboxObserver, LifecycleEvents>();
        services.AddCommand<LifecycleFeature>("facilitator", "facilitator", "Roles: hand the facilitator role to someone here, name a scribe and the incident commander.", f => f.RolesCommandAsync, "roles");
        services.AddCommand<LifecycleFeature>("review", "review", "Start the review now (facilitator or scribe); it also starts when the meeting does.", f => f.ReviewCommandAsync);
        services.AddCommand<LifecycleFeature>("publish", "publish", "Check it is ready, then publish it (facilitator). The analysis becomes read-only.", f => f.PublishCommandAsync);
        services.AddCommand<LifecycleFeature>("close", "close", "Close the postmortem (facilitator or scribe). Actions stay open until done.", f => f.CloseCommandAsync);
        services.AddCommand<LifecycleFeature>("reopen", "reopen <reason>", "Reopen a published or closed postmortem, with the reason (facilitator).", f => f.ReopenCommandAsync);
        services.AddCommand<LifecycleFeature>("cancel meeting", "cancel meeting", "The meeting is called off: back to draft (facilitator or scribe).", f => f.CancelMeetingCommandAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.RolesFormVerb, f => f.RolesFormAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.RolesSaveVerb, f => f.SaveRolesAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.ChecklistVerb, f => f.ChecklistAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.PublishVerb, f => f.PublishAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.ReviewVerb, f => f.ReviewButtonAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.ReopenFormVerb, f => f.ReopenFormAsync);
        services.AddCardAction<LifecycleFeature>(LifecycleCards.ReopenVerb, f => f.ReopenAsync);
        return services;
    }

    /// <summary>Who may not do a step, in words that name who may.</summary>
    public static string NotYourRole(Postmortem postmortem, string doing, bool facilitatorOnly)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        string facilitator = CardText.Plain(postmortem.Facilitator.DisplayName);
        return facilitatorOnly || postmortem.Scribe is null
            ? $"Only the facilitator, {facilitator}, can {doing}."
            : $"Only the facilitator, {facilitator}, or the scribe, {CardText.Plain(postmortem.Scribe.DisplayName)}, can {doing}.";
    }

    public Task<IReadOnlyList<Activity>> RolesCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return context.ReplyForActiveAsync(command, async p => LifecycleCards.Roles(p, await people.MembersAsync(command.Activity, cancellationToken).ConfigureAwait(false)), cancellationToken);
    }

    public Task<InvokeResponse> RolesFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, async (p, _) => InvokeResponse.Card(LifecycleCards.Roles(p, await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false))), cancellationToken);

    public Task<InvokeResponse> SaveRolesAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (p, values) => SaveRolesAsync(action, p, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> SaveRolesAsync(CardActionContext action, Postmortem stored, FormValues values, CancellationToken cancellationToken)
    {
        var by = PostmortemContext.Author(action.Activity);
        var now = time.GetUtcNow();
        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        InvokeResponse Again(Postmortem p, string banner) => InvokeResponse.Card(LifecycleCards.Roles(p, members, banner));

        // The card's version: roles someone else saved meanwhile are not overwritten unseen.
        if (values[FormCards.ETagKey] is { } seen && seen != stored.ETag)
        {
            return Again(stored, "Someone changed the roles while you were choosing. Here they are now: choose again.");
        }

        var facilitator = await PersonAsync(action.Activity, values["facilitator"], stored.Facilitator, cancellationToken).ConfigureAwait(false);
        var scribe = await PersonAsync(action.Activity, values["scribe"], stored.Scribe, cancellationToken).ConfigureAwait(false);
        var commander = await PersonAsync(action.Activity, values["incidentCommander"], stored.IncidentCommander, cancellationToken).ConfigureAwait(false);
        if (facilitator is null || (values["scribe"] is not null && scribe is null) || (values["incidentCommander"] is not null && commander is null))
        {
            return Again(stored, "Please choose people who are in this chat.");
        }

        var updated = stored;
        bool handedOver = facilitator.ObjectId != stored.Facilitator.ObjectId;
        foreach (var step in new Func<Postmortem, LifecycleOutcome>[]
        {
            p => PostmortemLifecycle.SetIncidentCommander(p, by, commander, now),
            p => PostmortemLifecycle.SetScribe(p, by, scribe?.ObjectId == facilitator.ObjectId ? null : scribe, now),
            p => handedOver ? PostmortemLifecycle.HandOver(p, by, facilitator, now) : new LifecycleOutcome(p, null),
        })
        {
            var outcome = step(updated);
            if (outcome.Moved is null)
            {
                return Again(stored, CardText.Literal(outcome.Refusal!));
            }

            updated = outcome.Moved;
        }

        if (ReferenceEquals(updated, stored))
        {
            return InvokeResponse.Card(LifecycleCards.Roles(stored, members, "Nothing changed.", bannerIsProblem: false));
        }

        var result = await postmortems.UpdateAsync(action.TenantId, updated, cancellationToken).ConfigureAwait(false);
        if (result.Status != WriteStatus.Saved)
        {
            return result.Value is { } newer ? Again(newer, ChangedMeanwhile) : PostmortemContext.NotFound;
        }

        var saved = result.Value!;
        if (handedOver)
        {
            await TellAsync(action.TenantId, action.Activity.Conversation?.Id, Replies.Text(
                $"{CardText.Plain(saved.Facilitator.DisplayName)}, you facilitate “{CardText.Plain(saved.Title)}” now: {CardText.Plain(by.DisplayName)} handed the role over. Type status to see where it stands."), cancellationToken).ConfigureAwait(false);
        }

        return InvokeResponse.Card(LifecycleCards.Roles(saved, members, handedOver ? $"Saved. {CardText.Literal(saved.Facilitator.DisplayName)} facilitates it now." : "Roles saved.", bannerIsProblem: false));
    }

    public async Task<IReadOnlyList<Activity>> ReviewCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        return postmortem is null
            ? [Replies.Text(PostmortemContext.NoPostmortemText)]
            : [Replies.Text(await MoveAsync(command.TenantId, postmortem, command.Activity, LifecycleStep.StartReview, null, cancellationToken).ConfigureAwait(false))];
    }

    public Task<InvokeResponse> ReviewButtonAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, async (p, _) => InvokeResponse.Message(await MoveAsync(action.TenantId, p, action.Activity, LifecycleStep.StartReview, null, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public async Task<IReadOnlyList<Activity>> CloseCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        return postmortem is null
            ? [Replies.Text(PostmortemContext.NoPostmortemText)]
            : [Replies.Text(await MoveAsync(command.TenantId, postmortem, command.Activity, LifecycleStep.Close, null, cancellationToken).ConfigureAwait(false))];
    }

    public async Task<IReadOnlyList<Activity>> CancelMeetingCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        return postmortem is null
            ? [Replies.Text(PostmortemContext.NoPostmortemText)]
            : [Replies.Text(await MoveAsync(command.TenantId, postmortem, command.Activity, LifecycleStep.MeetingCancelled, command.Arguments, cancellationToken).ConfigureAwait(false))];
    }

    public async Task<IReadOnlyList<Activity>> ReopenCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        if (postmortem is null)
        {
            return [Replies.Text(PostmortemContext.NoPostmortemText)];
        }

        return command.Arguments.Length == 0 && postmortem.Status.IsFinished()
            ? [Replies.Card(LifecycleCards.ReopenForm(postmortem))]
            : [Replies.Text(await MoveAsync(command.TenantId, postmortem, command.Activity, LifecycleStep.Reopen, command.Arguments, cancellationToken).ConfigureAwait(false))];
    }

    public Task<InvokeResponse> ReopenFormAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (p, _) => InvokeResponse.Card(LifecycleCards.ReopenForm(p)), cancellationToken);

    public Task<InvokeResponse> ReopenAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, async (p, values) =>
        {
            var by = PostmortemContext.Author(action.Activity);
            var outcome = Apply(p, LifecycleStep.Reopen, by, values[LifecycleCards.ReasonKey]);
            if (outcome.Moved is null)
            {
                return p.Status.IsFinished() ? InvokeResponse.Card(LifecycleCards.ReopenForm(p, CardText.Literal(outcome.Refusal!))) : InvokeResponse.Message(outcome.Refusal!);
            }

            return InvokeResponse.Message(await SaveAsync(action.TenantId, outcome.Moved, LifecycleStep.Reopen, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    public Task<IReadOnlyList<Activity>> PublishCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return context.ReplyForActiveAsync(command, p => ChecklistCardAsync(command.TenantId, p, null, cancellationToken), cancellationToken);
    }

    public Task<InvokeResponse> ChecklistAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, async (p, _) => InvokeResponse.Card(await ChecklistCardAsync(action.TenantId, p, null, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<InvokeResponse> PublishAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (p, values) => PublishAsync(action, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> PublishAsync(CardActionContext action, FormValues values, CancellationToken cancellationToken)
    {
        string id = values[FormCards.PostmortemIdKey]!;
        var document = await documents.ReadAsync(action.TenantId, id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return PostmortemContext.NotFound;
        }

        // The checklist as it is now, not as the card showed it: something filled meanwhile counts.
        var checklist = PublishChecklist.Evaluate(PublishFacts.Of(document));
        var by = PostmortemContext.Author(action.Activity);
        var stored = PostmortemLifecycle.CatchUp(document.Postmortem, time.GetUtcNow());
        var outcome = Apply(stored, LifecycleStep.Publish, by, values[LifecycleCards.ReasonKey], PublishChecklist.UnmetCount(checklist));
        if (outcome.Moved is null)
        {
            return stored.Status.IsFinished()
                ? InvokeResponse.Message(outcome.Refusal!)
                : InvokeResponse.Card(LifecycleCards.Checklist(stored, checklist, CardText.Literal(outcome.Refusal!)));
        }

        var result = await postmortems.UpdateAsync(action.TenantId, outcome.Moved, cancellationToken).ConfigureAwait(false);
        if (result.Status != WriteStatus.Saved)
        {
            return result.Value is { } newer ? InvokeResponse.Card(LifecycleCards.Checklist(newer, checklist, ChangedMeanwhile)) : PostmortemContext.NotFound;
        }

        var published = LifecycleCards.Published(document with { Postmortem = result.Value! }, practice.Value.TabUrlFor(id));
        if (result.Value!.IncidentChannelConversationId is { } channel && channel != action.Activity.Conversation?.Id)
        {
            await TellAsync(action.TenantId, channel, Replies.Card(published), cancellationToken).ConfigureAwait(false);
        }

        return InvokeResponse.Card(published);
    }

    private async Task<AdaptiveCard> ChecklistCardAsync(string tenantId, Postmortem postmortem, string? banner, CancellationToken cancellationToken)
    {
        var document = await documents.ReadAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        return LifecycleCards.Checklist(document?.Postmortem ?? postmortem, PublishChecklist.Evaluate(PublishFacts.Of(document ?? new PostmortemDocument(postmortem, [], [], [], [], [], []))), banner);
    }

    private LifecycleOutcome Apply(Postmortem postmortem, LifecycleStep step, Person by, string? reason, int unmet = 0)
    {
        var current = PostmortemLifecycle.CatchUp(postmortem, time.GetUtcNow());
        if (PostmortemLifecycle.RoleRefusal(current, step, by) is not null)
        {
            bool facilitatorOnly = step is LifecycleStep.Publish or LifecycleStep.Reopen;
            return LifecycleOutcome.Refused(NotYourRole(current, DoingText(step), facilitatorOnly));
        }

        return PostmortemLifecycle.Apply(current, new LifecycleRequest(step, by, time.GetUtcNow(), reason, unmet));
    }

    private async Task<string> MoveAsync(string tenantId, Postmortem postmortem, Activity activity, LifecycleStep step, string? reason, CancellationToken cancellationToken)
    {
        var outcome = Apply(postmortem, step, PostmortemContext.Author(activity), reason);
        return outcome.Moved is null ? outcome.Refusal! : await SaveAsync(tenantId, outcome.Moved, step, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SaveAsync(string tenantId, Postmortem moved, LifecycleStep step, CancellationToken cancellationToken)
    {
        var result = await postmortems.UpdateAsync(tenantId, moved, cancellationToken).ConfigureAwait(false);
        if (result.Status != WriteStatus.Saved)
        {
            return result.Status == WriteStatus.Conflict ? ChangedMeanwhile : PostmortemContext.NoPostmortemText;
        }

        string title = CardText.Plain(moved.Title);
        return step switch
        {
            LifecycleStep.StartReview => $"“{title}” is in review now. When the group agrees on it, the facilitator publishes it: type publish.",
            LifecycleStep.Close => $"“{title}” is closed. Thank you all for looking back together. Open actions stay open until their owners finish them.",
            LifecycleStep.Reopen => $"“{title}” is reopened and back in review; the reason is recorded. The analysis can be changed again.",
            LifecycleStep.MeetingCancelled => $"The meeting is called off and “{title}” is a draft again. If the invite already reached calendars, please cancel the event in Outlook too, so nobody waits in an empty meeting.",
            _ => $"“{title}” is {PostmortemLifecycle.Describe(moved.Status)} now.",
        };
    }

    private async Task<Person?> PersonAsync(Activity activity, string? chosen, Person? current, CancellationToken cancellationToken) =>
        chosen is null ? null
        : chosen == current?.ObjectId ? current
        : await people.FindAsync(activity, chosen, cancellationToken).ConfigureAwait(false);

    /// <summary>Posts to a conversation while Teams waits for the button's answer; a failure is logged, the change stays saved.</summary>
    private async Task TellAsync(string tenantId, string? conversationId, Activity message, CancellationToken cancellationToken)
    {
        try
        {
            var reference = conversationId is null ? null : await references.LoadAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
            if (reference is not null)
            {
                await connector.WhileTeamsWaits().SendToConversationAsync(reference, message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ConnectorException ex)
        {
            LogNotTold(logger, ex);
        }
    }

    private static string DoingText(LifecycleStep step) => step switch
    {
        LifecycleStep.Publish => "publish this postmortem",
        LifecycleStep.Reopen => "reopen this postmortem",
        LifecycleStep.StartReview => "start the review",
        LifecycleStep.MeetingCancelled => "call off the meeting",
        _ => "close this postmortem",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A lifecycle change was saved but the conversation could not be told")]
    private static partial void LogNotTold(ILogger logger, Exception exception);
}
