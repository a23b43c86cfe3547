using Postmortems.Bot.Cards;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Channels;

namespace Postmortems.Bot.Channels;

/// <summary>
/// "Create an incident channel" on the welcome card of a postmortem started in a team: asks for a channel named
/// yyyy-MM-dd-rca-&lt;slug&gt; in that team, made through the outbox; the welcome card is posted there when it exists.
/// </summary>
public sealed class IncidentChannelFeature(PostmortemContext context, IncidentChannels channels, TimeProvider time)
{
    public const string CreateVerb = "postmortem.channel";

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<IncidentChannelFeature>();
        services.AddCardAction<IncidentChannelFeature>(CreateVerb, f => f.CreateAsync);
        services.AddSingleton<Core.Outbox.IOutboxObserver, IncidentChannelNotifications>();
        return services;
    }

    public Task<InvokeResponse> CreateAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, _) => CreateAsync(action, postmortem, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> CreateAsync(CardActionContext action, Core.Postmortems.Postmortem postmortem, CancellationToken cancellationToken)
    {
        // The team comes from the activity Teams signed, never from card data.
        string? teamId = action.Activity.ChannelData?.Team?.Id;
        if (teamId is null)
        {
            return InvokeResponse.Message("An incident channel can be made only from a channel of a team.");
        }

        if (!channels.IsAvailable)
        {
            return InvokeResponse.Message("Incident channels need Microsoft Graph, which isn't set up for this app yet. An admin can set it up (see the README).");
        }

        try
        {
            var (name, created) = await channels.RequestAsync(action.TenantId, postmortem.Id, postmortem.Title, teamId,
                action.Activity.Conversation?.Id, IncidentDay(postmortem, action.Activity), cancellationToken).ConfigureAwait(false);
            return InvokeResponse.Message(created
                ? $"Creating the channel {CardText.Plain(name)}. I'll post the postmortem there when it's ready."
                : $"The channel {CardText.Plain(name)} was already asked for; I'll post there when it's ready.");
        }
        catch (StorageUnavailableException)
        {
            return InvokeResponse.Message("Not created: storage isn't reachable right now. Please try again in a minute.");
        }
    }

    /// <summary>The channel is named after the day the incident started (where the user is), else today.</summary>
    private DateOnly IncidentDay(Core.Postmortems.Postmortem postmortem, Activity activity) => postmortem.StartedAt is { } started
        ? DateOnly.FromDateTime(Core.Common.TimeZones.InZone(started, PostmortemContext.ZoneOf(activity)).DateTime)
        : PostmortemContext.TodayOf(activity, time);
}
