using Postmortems.Bot.Commands;

namespace Postmortems.Bot.Cards;

public static class HelpCard
{
    public const string Verb = "help";

    /// <summary>Every command the bot understands, with what it does.</summary>
    public static AdaptiveCard Build(IEnumerable<BotCommand> commands, string? intro = null)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var list = commands.ToList();
        var body = new List<CardElement>
        {
            new TextBlock("Blameless Postmortems") { Size = "large", Weight = "bolder", Style = "heading" },
            new TextBlock(intro ?? "I help your team look back at an incident together: what happened, what people knew and expected at the time, and what to change so it is less likely to happen again.")
            {
                IsSubtle = true,
            },
            new TextBlock("What you can ask me") { Weight = "bolder", Spacing = "medium" },
            new FactSet(list.Select(c => new Fact(c.Usage, c.Description)).ToList()),
            new TextBlock("In a channel or group chat, mention me first, for example: @Blameless Postmortems help.") { IsSubtle = true, Size = "small" },
        };
        return new AdaptiveCard
        {
            Body = body,
            FallbackText = "Commands: " + string.Join(", ", list.Select(c => c.Name)),
        };
    }
}
