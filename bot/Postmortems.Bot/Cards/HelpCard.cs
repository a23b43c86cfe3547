using System.Text;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Cards;

public static class HelpCard
{
    public const string Verb = "help";

    /// <summary>The app's name in its manifest, for when Teams does not say what the bot is called in a conversation.</summary>
    public const string DefaultBotName = "Blameless Postmortems";

    private const int MaxNameLength = 80;

    /// <summary>Every command the bot understands, with what it does.</summary>
    /// <param name="botName">
    /// What the bot is called in this conversation (the activity's recipient name, see <see cref="BotNameOf"/>): people
    /// mention it by that name, which an administrator may have changed from the app's own.
    /// </param>
    public static AdaptiveCard Build(IEnumerable<BotCommand> commands, string? intro = null, string? botName = null)
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
            new TextBlock($"In a channel or group chat, mention me first, for example: @{CardText.Literal(OneLine(botName))} help.") { IsSubtle = true, Size = "small" },
        };
        return new AdaptiveCard
        {
            Body = body,
            FallbackText = "Commands: " + string.Join(", ", list.Select(c => c.Name)),
        };
    }

    /// <summary>The bot's name in the conversation the activity came from: Teams sends it as the recipient's name.</summary>
    public static string? BotNameOf(Activity? activity) => activity?.Recipient?.Name;

    /// <summary>The name on one line, control characters as spaces and runs of spaces as one, kept short; the app's name when blank.</summary>
    private static string OneLine(string? name)
    {
        var builder = new StringBuilder(Math.Min(name?.Length ?? 0, MaxNameLength));
        foreach (char c in name ?? string.Empty)
        {
            bool space = char.IsControl(c) || char.IsWhiteSpace(c);
            if (space && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }

            builder.Append(space ? ' ' : c);
            if (builder.Length >= MaxNameLength)
            {
                break;
            }
        }

        string text = builder.ToString().TrimEnd();
        return text.Length == 0 ? DefaultBotName : text;
    }
}
