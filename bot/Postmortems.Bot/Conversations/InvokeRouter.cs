using System.Text.Json;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Conversations;

/// <summary>Answers invoke activities in the HTTP response: card actions (Universal Actions) and dialogs.</summary>
public sealed class InvokeRouter
{
    private readonly CommandRouter _commands;
    private readonly Dictionary<string, CardActionHandler> _handlers;
    private readonly Lifecycle.AnalysisFreeze? _freeze;

    public InvokeRouter(CommandRouter commands, IEnumerable<CardActionHandler> handlers, Lifecycle.AnalysisFreeze? freeze = null)
    {
        _commands = commands;
        _freeze = freeze;
        _handlers = new(StringComparer.Ordinal);
        foreach (var handler in handlers.Append(new CardActionHandler(HelpCard.Verb, (a, _) => Task.FromResult(InvokeResponse.Card(HelpCard.Build(_commands.Commands, botName: HelpCard.BotNameOf(a.Activity)))))))
        {
            _handlers.Add(handler.Verb, handler);
        }
    }

    public Task<InvokeResponse> HandleAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Name switch
        {
            InvokeNames.AdaptiveCardAction => HandleCardActionAsync(activity, tenantId, cancellationToken),
            InvokeNames.TaskFetch => Task.FromResult(InvokeResponse.Dialog("Blameless Postmortems", HelpCard.Build(_commands.Commands, botName: HelpCard.BotNameOf(activity)))),
            InvokeNames.TaskSubmit => Task.FromResult(InvokeResponse.DialogMessage("Thanks, that's noted.")),

            // Bot Framework: an invoke with no handler is answered 501 Not Implemented, not 500.
            _ => Task.FromResult(InvokeResponse.NotImplemented),
        };
    }

    /// <summary>
    /// adaptiveCard/action, checked as the Bot Framework SDK checks it before any handler runs: a value object with an
    /// action object of type Action.Execute (ActivityHandler.OnAdaptiveCardInvokeAsync), else 400.
    /// </summary>
    private async Task<InvokeResponse> HandleCardActionAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return InvokeResponse.BadRequest("BadRequest", "Missing value property for the card action.");
        }

        if (!value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return InvokeResponse.BadRequest("BadRequest", "Missing action property in the card action's value.");
        }

        if (!action.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Action.Execute")
        {
            return InvokeResponse.BadRequest("NotSupported", "The action type is not supported: only Action.Execute is.");
        }

        string? verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        if (verb is null || !_handlers.TryGetValue(verb, out var handler))
        {
            return InvokeResponse.ActionError(400, "BadRequest", "This button no longer does anything. Type help to see what I can do.");
        }

        Postmortems.Core.Telemetry.ProductTelemetry.CardSubmitted(handler.Verb);
        if (_freeze is not null && await _freeze.RefuseCardAsync(verb, data, tenantId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return await handler.Handle(new CardActionContext(activity, verb, data, tenantId), cancellationToken).ConfigureAwait(false);
    }
}
