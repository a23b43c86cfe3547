using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Channels;
using Postmortems.GraphSync.Graph;
using Postmortems.GraphSync.Local;
using Postmortems.GraphSync.Meetings;
using Postmortems.GraphSync.Outbox;
using Postmortems.GraphSync.Reminders;
using Postmortems.GraphSync.Todo;

namespace Postmortems.GraphSync;

public static class GraphSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers meetings and the outbox that sends every Graph write. With Graph configured, invites go out through
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
        services.AddOptions<OutboxOptions>()
            .Bind(configuration.GetSection(OutboxOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Lease > o.AttemptTimeout * 2, "Outbox:LeaseSeconds must be more than twice Outbox:AttemptTimeoutSeconds, so a live sender never loses its lease.")
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

        services.AddSingleton(sp => new PostmortemItemStore<ScheduledMeeting>(
            sp.GetRequiredService<PostmortemTables>().Items, new ScheduledMeetingMapping(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MeetingScheduler>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxHandler, SendMeetingHandler>();
        services.AddSingleton<IOutboxHandler, RefreshFollowUpHandler>();
        services.AddSingleton<IncidentChannels>();
        services.AddSingleton<IOutboxHandler, IncidentChannelHandler>();
        AddTodoSync(services, configuration);
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());

        services.AddOptions<ReminderOptions>()
            .Bind(configuration.GetSection(ReminderOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => ReminderOptions.IsTime(o.SendAt), "Postmortems:Reminders:SendAt must be a time of day as HH:mm, e.g. 09:00.")
            .Validate(o => ReminderOptions.IsTime(o.QuietHoursStart) && ReminderOptions.IsTime(o.QuietHoursEnd),
                "Postmortems:Reminders:QuietHoursStart and QuietHoursEnd must be times of day as HH:mm, e.g. 20:00 and 08:00.")
            .Validate(o => Enum.IsDefined(o.DigestDay), "Postmortems:Reminders:DigestDay must be a day of the week, e.g. Monday.")
            .ValidateOnStart();
        services.AddSingleton<ReminderScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderScanner>());
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

        // Told after every action write (PostmortemItemStore<ActionItem> takes every IItemIndex<ActionItem>).
        services.AddSingleton<IItemIndex<Core.Actions.ActionItem>>(sp => sp.GetRequiredService<TodoSync>());
        services.AddSingleton<TodoNotifications>();
        services.AddSingleton<IOutboxHandler, TodoSyncHandler>();
        services.AddSingleton<IOutboxHandler, TodoPullHandler>();
        services.AddSingleton<IOutboxHandler, TodoSubscribeHandler>();
        services.AddSingleton<TodoSyncJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TodoSyncJob>());
    }
}
