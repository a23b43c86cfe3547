using System.Text.RegularExpressions;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Commands;

/// <summary>
/// Turns a message into a command: strips mentions of the bot ("&lt;at&gt;Blameless Postmortems&lt;/at&gt; help"), takes
/// the first word as the command, case-insensitively, and the rest as its arguments.
/// </summary>
public sealed partial class CommandRouter
{
    private readonly IReadOnlyList<BotCommand> _commands;
    private readonly Dictionary<string, BotCommand> _byName;
    private readonly Lifecycle.AnalysisFreeze? _freeze;

    public CommandRouter(IEnumerable<BotCommand> commands, Lifecycle.AnalysisFreeze? freeze = null)
    {
        _freeze = freeze;
        ArgumentNullException.ThrowIfNull(commands);
        var list = commands.ToList();
        var help = new BotCommand("help", "help", "Show this list of commands.", (c, _) => Task.FromResult<IReadOnlyList<Activity>>([Replies.Card(HelpCard.Build(Commands, botName: HelpCard.BotNameOf(c.Activity)))]));
        _commands = [.. list, help];
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var command in _commands)
        {
            foreach (string name in command.Aliases.Prepend(command.Name))
            {
                _byName.Add(name, command);
            }
        }
    }

    public IReadOnlyList<BotCommand> Commands => _commands;

    public async Task<IReadOnlyList<Activity>> RouteAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string text = StripMentions(activity);
        if (text.Length == 0)
        {
            return [Replies.Card(HelpCard.Build(_commands, "Hello! Here is what I can do.", HelpCard.BotNameOf(activity)))];
        }

        var (command, arguments) = Match(text);
        if (command is null)
        {
            string word = text.Split(' ', 2)[0];
            return [Replies.Card(HelpCard.Build(_commands, $"Sorry, I don't know “{CardText.Literal(Shorten(word))}”. Here is what I can do.", HelpCard.BotNameOf(activity)))];
        }

        if (_freeze is not null && await _freeze.RefuseCommandAsync(command.Name, activity, tenantId, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return [Replies.Text(refused)];
        }

        return await command.Handle(new CommandContext(activity, arguments, tenantId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the longest command name the text starts with, so two-word aliases ("add entry") win over one word.</summary>
    public (BotCommand? Command, string Arguments) Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string normalized = Whitespace().Replace(text.Trim(), " ");
        foreach (var (name, command) in _byName.OrderByDescending(p => p.Key.Length))
        {
            if (normalized.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return (command, string.Empty);
            }

            if (normalized.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase))
            {
                return (command, normalized[(name.Length + 1)..].Trim());
            }
        }

        return (null, normalized);
    }

    /// <summary>
    /// The message text without mentions of the bot. Teams puts "&lt;at&gt;Bot name&lt;/at&gt;" in the text and a mention
    /// entity beside it; any remaining &lt;at&gt; tags (mentions of people) are reduced to the name.
    /// </summary>
    public static string StripMentions(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string text = activity.Text ?? string.Empty;
        foreach (var mention in activity.Entities ?? [])
        {
            if (mention.Type == "mention" && mention.Mentioned?.Id is { } id && id == activity.Recipient?.Id && mention.Text is { Length: > 0 } mentionText)
            {
                text = text.Replace(mentionText, string.Empty, StringComparison.Ordinal);
            }
        }

        text = AtTag().Replace(text, "$1");
        return Whitespace().Replace(System.Net.WebUtility.HtmlDecode(text), " ").Trim();
    }

    private static string Shorten(string word) => word.Length <= 40 ? word : word[..40] + "…";

    // NonBacktracking and no match timeout: message text is user text ("<at><at><at>…" with no closing tag would make
    // a backtracking engine rescan the rest of the text from every tag), and a wall-clock timeout turns a busy machine
    // into an error. The engine itself is linear in the text.
    [GeneratedRegex(@"<at>(.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
