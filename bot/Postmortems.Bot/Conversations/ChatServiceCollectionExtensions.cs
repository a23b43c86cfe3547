using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // The Bot Framework state of each conversation (its reference, to post later) and where each user can be reached.
        services.AddSingleton<ConversationStore>();
        services.TryAddSingleton<UserContactStore>();
        services.AddSingleton<PostmortemContext>();
        services.AddSingleton<PeopleDirectory>();
        PostmortemFeature.Register(services);
        LifecycleFeature.Register(services);
        TimelineFeature.Register(services);
        IdeaFeature.Register(services);
        ActionFeature.Register(services);
        DiscussionFeature.Register(services);
        Analysis.FactorFeature.Register(services);
        Analysis.NoteFeature.Register(services);
        MeetingFeature.Register(services);
        services.AddSingleton<Core.Outbox.IOutboxObserver, MeetingNotifications>();
        Channels.IncidentChannelFeature.Register(services);
        Reminders.ReminderFeature.Register(services);
        return services;
    }
}
