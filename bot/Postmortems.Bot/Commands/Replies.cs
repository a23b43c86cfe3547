using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Commands;

/// <summary>Outgoing message activities. The connector fills in from, conversation, recipient and serviceUrl.</summary>
public static class Replies
{
    public static Activity Text(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" };

    public static Activity Card(AdaptiveCard card, string? text = null) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = card }],
    };
}
