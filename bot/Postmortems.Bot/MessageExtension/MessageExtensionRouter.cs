using System.Text.Json;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// The message extension's invokes (composeExtension/*), by command id. Every answer is HTTP 200 with a body Teams shows:
/// an unknown command or a malformed value gets a short message, never an error status (a 5xx reads as "Unable to reach
/// the app").
/// </summary>
public sealed class MessageExtensionRouter(AddToTimelineFeature addToTimeline, SearchPostmortemsFeature search)
{
    public const string FetchTask = "composeExtension/fetchTask";
    public const string SubmitAction = "composeExtension/submitAction";
    public const string Query = "composeExtension/query";

    public const string UnknownCommandText = "This app doesn't know that command. Please update the app, or use Add to postmortem timeline on a message.";

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<AddToTimelineFeature>();
        services.AddSingleton<SearchPostmortemsFeature>();
        services.AddSingleton<MessageExtensionRouter>();
        ChannelImportFeature.Register(services);
        return services;
    }

    public static bool Handles(string? name) => name is FetchTask or SubmitAction or Query;

    public Task<InvokeResponse> HandleAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var value = activity.Value ?? default;
        string? commandId = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("commandId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        return (activity.Name, commandId) switch
        {
            (FetchTask, AddToTimelineFeature.CommandId) => addToTimeline.FetchTaskAsync(activity, value, tenantId, cancellationToken),
            (SubmitAction, AddToTimelineFeature.CommandId) => addToTimeline.SubmitActionAsync(activity, value, tenantId, cancellationToken),
            (Query, SearchPostmortemsFeature.CommandId) => search.QueryAsync(value, tenantId, cancellationToken),
            (Query, _) => Task.FromResult(new InvokeResponse(200, new { composeExtension = new { type = "message", text = UnknownCommandText } })),
            _ => Task.FromResult(InvokeResponse.DialogMessage(UnknownCommandText)),
        };
    }
}
