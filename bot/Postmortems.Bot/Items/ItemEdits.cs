using Postmortems.Bot.Cards;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Items;

/// <summary>
/// "Edit" on what someone wrote (a contributing factor, a note on what went well or where we got lucky): allowed to its
/// author, the facilitator and the scribe (<see cref="RemovalRules.CanEdit"/>), anyone else is told who can and nothing changes; the
/// update replaces the version the card showed (If-Match), keeps who first wrote it and when, and names who edited it.
/// </summary>
public static class ItemEdits
{
    /// <summary>Who can instead, in plain text (the client shows the message as typed): names are neutralised.</summary>
    public static InvokeResponse Refused(Postmortem postmortem, PostmortemItem item, string verb)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(item);
        string author = CardText.Plain(item.Author.DisplayName);
        string facilitator = CardText.Plain(postmortem.Facilitator.DisplayName);
        var people = new List<string>(3);
        if (RemovalRules.SamePerson(item.Author, postmortem.Facilitator))
        {
            people.Add($"{author}, who wrote this and facilitates the postmortem");
        }
        else
        {
            people.Add($"{author}, who wrote this");
            people.Add($"{facilitator}, who facilitates the postmortem");
        }

        if (postmortem.Scribe is { } scribe && !RemovalRules.SamePerson(scribe, item.Author) && !RemovalRules.SamePerson(scribe, postmortem.Facilitator))
        {
            people.Add($"{CardText.Plain(scribe.DisplayName)}, the scribe");
        }

        string who = people.Count == 1 ? people[0] : string.Join(", ", people[..^1]) + ", or " + people[^1];
        string message = $"Only {who}, can {verb} it. Nothing was changed.";
        return InvokeResponse.ActionError(403, "Forbidden", message);
    }

    public static InvokeResponse Gone(string noun) => InvokeResponse.ActionError(404, "NotFound", $"This {noun} was removed, so it can't be edited.");

    /// <summary>The stored item a card's Edit (or the edited form's Save) names, or the answer instead: it is gone, or it is not theirs to edit.</summary>
    public static async Task<(T? Item, InvokeResponse? Refusal)> FindEditableAsync<T>(
        PostmortemItemStore<T> store, CardActionContext action, Postmortem postmortem, string? itemId, string noun, CancellationToken cancellationToken)
        where T : PostmortemItem
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(postmortem);
        var item = itemId is null ? null : await store.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return (null, Gone(noun));
        }

        return RemovalRules.CanEdit(postmortem, item, PostmortemContext.Author(action.Activity)) ? (item, null) : (null, Refused(postmortem, item, "edit"));
    }

    /// <summary>
    /// The form's version of <paramref name="stored"/>: its content, with the stored id, author and creation time, the
    /// editor, and the version the card showed (<paramref name="etag"/>), so a change made meanwhile is not overwritten.
    /// </summary>
    public static T Edited<T>(T stored, T fromForm, Person editor, string? etag)
        where T : PostmortemItem
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(fromForm);
        return (T)(fromForm with { Id = stored.Id, Author = stored.Author, CreatedAt = stored.CreatedAt, EditedBy = editor, ETag = etag ?? stored.ETag });
    }

    /// <summary>The banner over the form when someone else's change came first: who it was, and that the editor's text is kept.</summary>
    public static string ConflictBanner(PostmortemItem? newer, string noun)
    {
        string who = newer is null ? "Someone else" : CardText.Literal((newer.EditedBy ?? newer.Author).DisplayName);
        return $"{who} changed this {noun} while you were editing it. Your text is kept here: save again to replace their version.";
    }

    /// <summary>The Edit button of a saved item's card.</summary>
    public static ExecuteAction EditButton(string postmortemId, string verb, PostmortemItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ExecuteAction("Edit", verb) { Data = FormCards.Data(postmortemId, itemId: item.Id), AssociatedInputs = "none" };
    }
}
