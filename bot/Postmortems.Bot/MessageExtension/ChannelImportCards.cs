using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Channels;

namespace Postmortems.Bot.MessageExtension;

/// <summary>The cards of "import": the channel's messages to pick from, and what was added.</summary>
public static class ChannelImportCards
{
    /// <summary>A message's first line on the card, shortened: enough to recognise it.</summary>
    private const int FirstLineLength = 90;

    public static AdaptiveCard Candidates(Postmortem postmortem, IReadOnlyList<ChannelMessage> messages, int alreadyThere, DateTimeOffset from, DateTimeOffset to, string zone, int notShown = 0)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(messages);
        string Local(DateTimeOffset at) => TimeZones.InZone(at, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
        var body = new List<CardElement>
        {
            FormCards.Heading("Import from this channel"),
            FormCards.Subtle(CardText.Literal(postmortem.Title)),
            new TextBlock($"Messages from {Local(from)} to {Local(to)} ({TimelineCards.ZoneName(zone)}). Tick the ones that belong in the timeline; each becomes an entry you can edit, with the message's time and sender.") { Size = "small" },
        };
        if (alreadyThere > 0)
        {
            body.Add(FormCards.Subtle($"{alreadyThere} {(alreadyThere == 1 ? "message is" : "messages are")} already in the timeline."));
        }

        if (notShown > 0)
        {
            body.Add(FormCards.Subtle($"These are the first {messages.Count}; {notShown} later ones follow when you run import again after adding these."));
        }

        if (messages.Count == 0)
        {
            body.Add(new TextBlock("No other messages in that time. You can add entries by hand with entry."));
            return new AdaptiveCard { Body = body, FallbackText = "Import from this channel" };
        }

        body.Add(new InputChoiceSet
        {
            Id = ChannelImportFeature.MessagesKey,
            Label = "Messages",
            IsMultiSelect = true,
            Style = "expanded",
            Choices = [.. messages.Select(m => new Choice(ChoiceTitle(m, zone), m.Id))],
        });
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Add to timeline", ChannelImportFeature.AddVerb) { Data = FormCards.Data(postmortem.Id), AssociatedInputs = "auto" }],
            FallbackText = "Import from this channel",
        };
    }

    public static AdaptiveCard Added(Postmortem postmortem, int added, int alreadyThere, int gone)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var notes = new List<string> { added == 1 ? "Added 1 entry to the timeline." : $"Added {added} entries to the timeline." };
        if (alreadyThere > 0)
        {
            notes.Add(alreadyThere == 1 ? "1 was already there." : $"{alreadyThere} were already there.");
        }

        if (gone > 0)
        {
            notes.Add(gone == 1 ? "1 message is no longer in the channel." : $"{gone} messages are no longer in the channel.");
        }

        return new AdaptiveCard
        {
            Body = [FormCards.Banner(string.Join(" ", notes), isProblem: false), FormCards.Subtle(CardText.Literal(postmortem.Title))],
            Actions = [new ExecuteAction("Show the timeline", TimelineCards.PageVerb) { Data = FormCards.PageData(postmortem.Id, 0), AssociatedInputs = "none" }],
            FallbackText = notes[0],
        };
    }

    /// <summary>"09:41:07 · Ada Lovelace · Rolling back payments-api now" (choice titles are plain text, not Markdown).</summary>
    private static string ChoiceTitle(ChannelMessage message, string zone)
    {
        string text = MessageText.ToPlainText(message.Body, message.BodyIsHtml, 400).Text;
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        string first = SingleLineText.Name(end < 0 ? text : text[..end], "(no text)");
        string sender = SingleLineText.Name(message.SenderName, "Someone");
        return $"{TimeZones.InZone(message.CreatedAt, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture)} · {FormCards.Shorten(sender, 40)} · {FormCards.Shorten(first, FirstLineLength)}";
    }
}
