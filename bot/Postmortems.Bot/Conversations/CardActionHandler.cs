using System.Text.Json;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Conversations;

/// <summary>What a card button's handler gets: the invoke activity, the action's verb and its data merged with the card's inputs.</summary>
public sealed record CardActionContext(Activity Activity, string Verb, JsonElement Data, string TenantId);

/// <summary>Answers one Action.Execute verb with an updated card, a message or an error.</summary>
public sealed record CardActionHandler(string Verb, Func<CardActionContext, CancellationToken, Task<InvokeResponse>> Handle);
