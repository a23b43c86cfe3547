using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Commands;

/// <summary>What a command gets: the activity, the text after the command word, and the tenant it came from.</summary>
public sealed record CommandContext(Activity Activity, string Arguments, string TenantId);

/// <summary>A command typed in chat (or sent by a card button). Names and aliases are matched case-insensitively.</summary>
public sealed record BotCommand(
    string Name,
    string Usage,
    string Description,
    Func<CommandContext, CancellationToken, Task<IReadOnlyList<Activity>>> Handle)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
