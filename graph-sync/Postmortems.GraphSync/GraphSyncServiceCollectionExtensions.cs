using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Postmortems.Core.Actions;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.ActionFollowers;
using Postmortems.GraphSync.Channels;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Local;
using Postmortems.GraphSync.Meetings;
using Postmortems.Core.Outbox;
using Postmortems.GraphSync.Todo;

namespace Postmortems.GraphSync;

public static class GraphSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Graph work (meetings, incident channels, To Do) and the outbox handlers that do every Graph write (the host adds the outbox itself: <c>AddOutbox</c>). With Graph configured, invites go out through
    /// Microsoft Graph; without, they are written as .ics files under Graph:LocalInviteFolder.
    /// </summary>
    public static IServiceCollection AddGraphSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.TenantId) || Guid.TryParse(o.TenantId, out _),
                "Graph:TenantId must be a tenant id (a GUID), or empty to write invites as .ics files.")
            .Validate(o => o.BaseUrl.Scheme == Uri.UriSchemeHttps || o.BaseUrl.IsLoopback,
                "Graph:BaseUrl must use https (http is allowed only on loopback, for tests).")
            .Validate(o => string.IsNullOrEmpty(o.ClientSecret) || (o.IsConfigured && !string.IsNullOrWhiteSpace(o.ClientId)),
                "Graph:ClientSecret needs Graph:TenantId and Graph:ClientId (the app registration it belongs to).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.LocalInviteFolder),
                "Graph:LocalInviteFolder must name a folder.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IMeetingGateway>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            if (options.IsConfigured)
            {
                return new GraphMeetingGateway(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), time);
            }

            string root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new IcsMeetingGateway(Path.GetFullPath(options.LocalInviteFolder, root), time);
        });
        services.AddSingleton(sp => GraphServiceClientFactory.Create(sp.GetRequiredService<IOptions<GraphOptions>>().Value));
        services.AddSingleton<IIncidentChannelGateway>(sp =>
            new GraphIncidentChannelGateway(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<IChannelMessageReader>(sp =>
            new GraphChannelMessageReader(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton(sp => new PostmortemItemStore<ScheduledMeeting>(
            sp.GetRequiredService<PostmortemTables>().Items, new ScheduledMeetingMapping(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MeetingScheduler>();
        services.AddActionFollower<FollowUpAgendaFollower>();
        services.AddSingleton<InviteBodySource>();
        services.AddSingleton<IOutboxHandler, SendMeetingHandler>();
        services.AddSingleton<IOutboxHandler, RefreshFollowUpHandler>();
        services.AddSingleton<IncidentChannels>();
        services.AddSingleton<IOutboxHandler, IncidentChannelHandler>();
        AddTodoSync(services, configuration);
        return services;
    }

    /// <summary>
    /// Actions as tasks in their owners' Microsoft To Do, both ways. Everything is registered in every mode; with Graph
    /// not configured (or Graph:TodoSync:Enabled false) the sync does nothing (<see cref="TodoSync.IsOn"/>).
    /// </summary>
    private static void AddTodoSync(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TodoSyncOptions>()
            .Bind(configuration.GetSection(TodoSyncOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ITodoGateway>(sp => new GraphTodoGateway(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TodoSyncStore>();
        services.AddSingleton<TodoSync>();
        services.AddActionFollower<TodoTaskFollower>();
        services.AddSingleton<TodoNotifications>();
        services.AddSingleton<IOutboxHandler, TodoSyncHandler>();
        services.AddSingleton<IOutboxHandler, TodoPullHandler>();
        services.AddSingleton<IOutboxHandler, TodoSubscribeHandler>();
        services.AddSingleton<TodoSyncJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TodoSyncJob>());
    }
}
