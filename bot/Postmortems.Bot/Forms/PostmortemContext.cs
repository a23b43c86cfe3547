using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.Forms;

/// <summary>Finds the postmortem a command or a card acts on, and who is acting.</summary>
public sealed class PostmortemContext(ConversationStore conversations, PostmortemRepository postmortems)
{
    public const string NoPostmortemText = "There's no postmortem in this chat yet. Type new followed by a title to start one, for example: new Checkout outage";

    /// <summary>The answer to a card naming a postmortem that does not exist for this tenant.</summary>
    public static InvokeResponse NotFound { get; } =
        InvokeResponse.ActionError(404, "NotFound", "This postmortem no longer exists, or it belongs to another organisation.");

    /// <summary>
    /// The user's time zone as Teams sent it: the activity's localTimezone, else the "timezone" of its clientInfo entity,
    /// else UTC when both are missing or unknown.
    /// </summary>
    public static string ZoneOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (TimeZones.IsKnown(activity.LocalTimezone))
        {
            return activity.LocalTimezone!;
        }

        foreach (var entity in activity.Entities ?? [])
        {
            if (entity.Type == "clientInfo" && entity.AdditionalProperties?.TryGetValue("timezone", out var zone) == true
                && zone.ValueKind == System.Text.Json.JsonValueKind.String && TimeZones.IsKnown(zone.GetString()))
            {
                return zone.GetString()!;
            }
        }

        return "UTC";
    }

    /// <summary>Today's date where the user is.</summary>
    public static DateOnly TodayOf(Activity activity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZones.InZone(time.GetUtcNow(), ZoneOf(activity)).DateTime);
    }

    /// <summary>The conversation's active postmortem, or null.</summary>
    public async Task<Postmortem?> ActiveAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string? id = await conversations.GetActivePostmortemIdAsync(tenantId, activity.Conversation!.Id!, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await postmortems.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a command with a card about the conversation's active postmortem, or says there is none yet.</summary>
    public async Task<IReadOnlyList<Activity>> ReplyForActiveAsync(Commands.CommandContext command, Func<Postmortem, Task<Cards.AdaptiveCard>> card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(card);
        var postmortem = await ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        return postmortem is null
            ? [Commands.Replies.Text(NoPostmortemText)]
            : [Commands.Replies.Card(await card(postmortem).ConfigureAwait(false))];
    }

    public Task<IReadOnlyList<Activity>> ReplyForActiveAsync(Commands.CommandContext command, Func<Postmortem, Cards.AdaptiveCard> card, CancellationToken cancellationToken) =>
        ReplyForActiveAsync(command, p => Task.FromResult(card(p)), cancellationToken);

    /// <summary>
    /// Answers a card button about the postmortem the card names, for this tenant only (another tenant's id, or a
    /// made-up one, reads as not found), or says it no longer exists.
    /// </summary>
    public Task<InvokeResponse> AnswerForCardAsync(Conversations.CardActionContext action, Func<Postmortem, FormValues, Task<InvokeResponse>> answer, CancellationToken cancellationToken) =>
        AnswerAsync(action, answer, postmortems.GetAsync, cancellationToken);

    public Task<InvokeResponse> AnswerForCardAsync(Conversations.CardActionContext action, Func<Postmortem, FormValues, InvokeResponse> answer, CancellationToken cancellationToken) =>
        AnswerForCardAsync(action, (p, v) => Task.FromResult(answer(p, v)), cancellationToken);

    /// <summary>
    /// Answers a card about one of the postmortem's items (timeline, ideas, actions, discussion). These use only the
    /// postmortem's id and title, so a copy this instance read moments ago serves
    /// (<see cref="PostmortemRepository.GetRecentAsync"/>): a card submission then costs one storage call, not two.
    /// </summary>
    public Task<InvokeResponse> AnswerForItemCardAsync(Conversations.CardActionContext action, Func<Postmortem, FormValues, Task<InvokeResponse>> answer, CancellationToken cancellationToken) =>
        AnswerAsync(action, answer, postmortems.GetRecentAsync, cancellationToken);

    public Task<InvokeResponse> AnswerForItemCardAsync(Conversations.CardActionContext action, Func<Postmortem, FormValues, InvokeResponse> answer, CancellationToken cancellationToken) =>
        AnswerForItemCardAsync(action, (p, v) => Task.FromResult(answer(p, v)), cancellationToken);

    private static async Task<InvokeResponse> AnswerAsync(
        Conversations.CardActionContext action,
        Func<Postmortem, FormValues, Task<InvokeResponse>> answer,
        Func<string, string, CancellationToken, Task<Postmortem?>> find,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(answer);
        var values = new FormValues(action.Data);
        var postmortem = values[FormCards.PostmortemIdKey] is { } id ? await find(action.TenantId, id, cancellationToken).ConfigureAwait(false) : null;
        return postmortem is null ? NotFound : await answer(postmortem, values).ConfigureAwait(false);
    }

    /// <summary>The author is who sent the activity (Teams signs it), never a name from card data.</summary>
    public static Person Author(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var from = activity.From!;
        return new Person(from.AadObjectId ?? from.Id!, Core.Common.SingleLineText.Name(from.Name, "Someone"));
    }

    /// <summary>
    /// The id of the item a form card creates: the card's own id combined with the author, so one person's double
    /// click stores one record while two people filling the same card each store their own.
    /// </summary>
    public static string ItemIdFor(string cardId, Person author)
    {
        ArgumentNullException.ThrowIfNull(author);
        return Ids.DerivedId(cardId + "|" + author.ObjectId);
    }
}
