using System.Text.Json.Serialization;
using Postmortems.Bot.Cards;

namespace Postmortems.Bot.Protocol;

/// <summary>
/// The answer to an invoke activity: the HTTP status and the JSON body of the response to the channel's POST
/// (Bot Framework: the invoke response is returned synchronously, not sent through the Connector).
/// </summary>
public sealed record InvokeResponse(int Status, object? Body)
{
    /// <summary>Universal Actions: replace the card for the user who acted (body.type application/vnd.microsoft.card.adaptive).</summary>
    public static InvokeResponse Card(AdaptiveCard card) =>
        new(200, new AdaptiveCardInvokeResponse(200, AdaptiveCard.ContentType, card));

    /// <summary>Universal Actions: show a short message instead of changing the card.</summary>
    public static InvokeResponse Message(string message) =>
        new(200, new AdaptiveCardInvokeResponse(200, "application/vnd.microsoft.activity.message", message));

    /// <summary>
    /// Universal Actions: an error the client shows. The HTTP status is 200 because the bot did process the
    /// request; the outcome is in body.statusCode (Universal Action Model, "Response format").
    /// </summary>
    public static InvokeResponse ActionError(int statusCode, string code, string message) =>
        new(200, new AdaptiveCardInvokeResponse(statusCode, "application/vnd.microsoft.error", new InvokeError(code, message)));

    /// <summary>A malformed adaptiveCard/action request: HTTP 400 with the error body, as the Bot Framework SDK answers it.</summary>
    public static InvokeResponse BadRequest(string code, string message) =>
        new(400, new AdaptiveCardInvokeResponse(400, "application/vnd.microsoft.error", new InvokeError(code, message)));

    /// <summary>An invoke name the bot does not handle: 501 Not Implemented, no body.</summary>
    public static InvokeResponse NotImplemented { get; } = new(501, null);

    /// <summary>Dialogs (task modules): show or replace the dialog with a card.</summary>
    public static InvokeResponse Dialog(string title, AdaptiveCard card, string size = "medium") =>
        new(200, new TaskModuleResponse(new TaskModuleTask("continue", new TaskModuleContinue(title, size, size, new CardAttachment(AdaptiveCard.ContentType, card)))));

    /// <summary>Dialogs: close the dialog and show a message.</summary>
    public static InvokeResponse DialogMessage(string message) =>
        new(200, new TaskModuleResponse(new TaskModuleTask("message", message)));
}

public sealed record AdaptiveCardInvokeResponse(int StatusCode, string Type, object Value);

public sealed record InvokeError(string Code, string Message);

public sealed record TaskModuleResponse(TaskModuleTask Task);

public sealed record TaskModuleTask(string Type, object Value);

public sealed record TaskModuleContinue(string Title, string Height, string Width, CardAttachment Card);

public sealed record CardAttachment(string ContentType, [property: JsonPropertyName("content")] object Content);
