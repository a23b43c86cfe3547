using Postmortems.Bot.Actions;
using Postmortems.Bot.Discussion;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Lifecycle;
using Postmortems.Bot.Meetings;
using Postmortems.Bot.Remediation;
using Postmortems.Bot.Timeline;

namespace Postmortems.Bot.Conversations;

public static class ChatServiceCollectionExtensions
{
    /// <summary>What the bot does in a chat: each area registers its commands and card buttons, in the order help lists them.</summary>
    public static IServiceCollection AddPostmortemChat(this IServiceCollection services)
    {
        services.AddSingleton<PostmortemContext>();
        services.AddSingleton<PeopleDirectory>();
        PostmortemFeature.Register(services);
        TimelineFeature.Register(services);
        IdeaFeature.Register(services);
        ActionFeature.Register(services);
        DiscussionFeature.Register(services);
        MeetingFeature.Register(services);
        services.AddSingleton<GraphSync.Outbox.IOutboxObserver, MeetingNotifications>();
        Channels.IncidentChannelFeature.Register(services);
        Reminders.ReminderFeature.Register(services);
        return services;
    }
}
