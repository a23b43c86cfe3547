using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Conversations;

/// <summary>How a feature registers its commands and card buttons: one line each, naming the feature's method.</summary>
public static class FeatureServiceCollectionExtensions
{
    /// <summary>A command typed in chat, answered by <paramref name="handler"/> of the feature (resolved when the command list is built).</summary>
    public static IServiceCollection AddCommand<TFeature>(
        this IServiceCollection services,
        string name,
        string usage,
        string description,
        Func<TFeature, Func<CommandContext, CancellationToken, Task<IReadOnlyList<Activity>>>> handler,
        params string[] aliases)
        where TFeature : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return services.AddSingleton(sp => new BotCommand(name, usage, description, handler(sp.GetRequiredService<TFeature>())) { Aliases = aliases });
    }

    /// <summary>A card button's verb (Action.Execute), answered by <paramref name="handler"/> of the feature.</summary>
    public static IServiceCollection AddCardAction<TFeature>(
        this IServiceCollection services,
        string verb,
        Func<TFeature, Func<CardActionContext, CancellationToken, Task<InvokeResponse>>> handler)
        where TFeature : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        return services.AddSingleton(sp => new CardActionHandler(verb, handler(sp.GetRequiredService<TFeature>())));
    }
}
