using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Actions;

/// <summary>
/// The one path for "an action changed": the action store tells, after every successful write, first the "my
/// actions" index (<see cref="ActionsByOwnerIndex"/>, which also files the reminder due dates), then every follower
/// registered here, in registration order. A surface that writes actions (chat, tab, reminder card, To Do) writes
/// through the store and so cannot forget one. Today's followers are in graph-sync/ActionFollowers: the owner's To Do
/// task and the follow-up meeting's list of actions.
/// </summary>
public static class ActionFollowers
{
    public static IServiceCollection AddActionFollower<TFollower>(this IServiceCollection services)
        where TFollower : class, IItemFollower<ActionItem>
    {
        services.AddSingleton<TFollower>();
        services.AddSingleton<IItemFollower<ActionItem>>(sp => sp.GetRequiredService<TFollower>());
        return services;
    }

    /// <summary>The store's followers in the order they are told: the index first, so "my actions" is current before any outbox work is queued.</summary>
    internal static IReadOnlyList<IItemFollower<ActionItem>> InOrder(IServiceProvider services) =>
        [services.GetRequiredService<ActionsByOwnerIndex>(), .. services.GetServices<IItemFollower<ActionItem>>()];
}
