using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;

namespace Postmortems.Bot.MessageExtension;

/// <summary>Where the entry goes: the conversation's postmortems (the active one first), or none yet.</summary>
public sealed record EntryTarget(IReadOnlyList<Postmortem> Postmortems, string? ChosenId)
{
    public bool IsNew => Postmortems.Count == 0;
}

/// <summary>What the dialog's hidden data carries besides the inputs.</summary>
public sealed record EntrySource(string MessageId, Uri? Link, string? ItemId = null, string? ETag = null);

/// <summary>
/// The "Add to postmortem timeline" dialog: the chat's timeline entry form (same inputs, same ids, same rules), opened in
/// a task module, so its button is an Action.Submit (dialogs do not take Action.Execute), with the postmortem to add to
/// on top: a choice when the chat has several, a title to start one when it has none.
/// </summary>
public static class AddToTimelineCards
{
    public const string Title = "Add to postmortem timeline";
    public const string NewTitleKey = "newPostmortemTitle";
    public const string MessageIdKey = "messageId";
    public const string LinkKey = "sourceLink";

    public static AdaptiveCard Dialog(EntryTarget target, EntrySource source, FormState state, string viewerZone)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(state);
        var shown = target.Postmortems.FirstOrDefault(p => p.Id == target.ChosenId) ?? target.Postmortems.FirstOrDefault()
            ?? new Postmortem { Id = "new", Title = string.Empty, Facilitator = new Person("-", "-"), CreatedBy = new Person("-", "-"), CreatedAt = DateTimeOffset.UnixEpoch };
        var form = TimelineCards.Form(shown, state, cardId: source.MessageId, viewerZone, source.ItemId, source.ETag);

        var body = new List<CardElement> { FormCards.Heading(source.ItemId is null ? "Add this message to the timeline" : "Already in the timeline") };
        if (state.Banner is { } banner)
        {
            body.Add(FormCards.Banner(banner, isProblem: state.Errors.Count > 0 || source.ItemId is null));
        }

        body.AddRange(Where(target, state));
        body.AddRange(form.Body.SkipWhile(e => e is not CardInput).Select(e => e is InputTime time ? TimeWithSeconds(time, state) : e));

        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [MessageIdKey] = source.MessageId };
        if (target.Postmortems.Count == 1 || (source.ItemId is not null && target.ChosenId is not null))
        {
            data[FormCards.PostmortemIdKey] = target.ChosenId ?? target.Postmortems[0].Id;
        }

        AddIf(data, LinkKey, source.Link?.AbsoluteUri);
        AddIf(data, FormCards.ItemIdKey, source.ItemId);
        AddIf(data, FormCards.ETagKey, source.ETag);
        var actions = new List<CardAction> { new SubmitAction(target.IsNew ? "Start the postmortem and add" : source.ItemId is null ? "Add to timeline" : "Save changes") { Data = data } };
        if (source.Link is { } link)
        {
            actions.Add(new OpenUrlAction("Open the message", link));
        }

        return new AdaptiveCard { Body = body, Actions = actions, FallbackText = Title, Msteams = null };
    }

    private static IEnumerable<CardElement> Where(EntryTarget target, FormState state)
    {
        if (target.IsNew)
        {
            yield return new TextBlock("There's no postmortem in this chat yet. Give it a title and I'll start one here with this entry. Anyone can start one.") { Size = "small" };
            foreach (var element in FormCards.Field(FormCards.TextInput(NewTitleKey, "Title of the postmortem", "For example: Checkout outage", state, TextLimits.Title, required: true), state))
            {
                yield return element;
            }
        }
        else if (target.Postmortems.Count == 1)
        {
            yield return FormCards.Subtle(CardText.Literal(target.Postmortems[0].Title));
        }
        else
        {
            var choice = new InputChoiceSet
            {
                Id = FormCards.PostmortemIdKey,
                Label = "Postmortem",
                Style = "compact",
                IsRequired = true,
                ErrorMessage = "Please choose the postmortem.",
                Choices = [.. target.Postmortems.Select(p => new Choice(FormCards.Shorten(p.Title, FormCards.MaxChoiceTitle), p.Id))],
                Value = state.Value(FormCards.PostmortemIdKey) ?? target.ChosenId,
            };
            foreach (var element in FormCards.Field(choice, state))
            {
                yield return element;
            }
        }
    }

    /// <summary>The time to the second, as the message has it (an Input.Time takes only hours and minutes).</summary>
    private static InputText TimeWithSeconds(InputTime time, FormState state) => new()
    {
        Id = time.Id,
        Label = "Time (hh:mm:ss)",
        Placeholder = "14:05:30",
        Value = state.Value(time.Id!),
        IsRequired = true,
        ErrorMessage = "Please add the time.",
        MaxLength = 8,
    };

    private static void AddIf(Dictionary<string, string> data, string key, string? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }
}
