using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Common;
using Postmortems.Core.Outbox;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.GraphSync.Channels;

namespace Postmortems.Bot.MessageExtension;

/// <summary>
/// "import" in an incident channel: reads the channel's messages of the incident's time window through Graph, lists them
/// with checkboxes, and adds the chosen ones as timeline entries (one per message, the same entry "Add to postmortem
/// timeline" makes, so a message is never in the timeline twice). The team and channel come from the activity Teams
/// signed; the messages are read again from Graph when adding, never taken from card data.
/// </summary>
public sealed class ChannelImportFeature(PostmortemContext context, IChannelMessageReader channel, PostmortemItemStore<TimelineEntry> entries, TimeProvider time)
{
    public const string AddVerb = "import.add";
    public const string MessagesKey = "messages";

    /// <summary>The most messages listed on the card: enough for an incident's key moments, small enough for the card limit.</summary>
    public const int MaxCandidates = 30;

    public const string NeedsGraphText = "import reads this channel's messages through Microsoft Graph, which isn't set up for this app yet (it runs in local mode). An admin can set it up (see the README); until then, use Add to postmortem timeline on a message, or entry.";

    public const string NotAChannelText = "import reads a team channel's messages. Please run it in the incident's channel; in a chat, use Add to postmortem timeline on a message.";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<ChannelImportFeature>();
        services.AddCommand<ChannelImportFeature>("import", "import", "List this channel's messages from the incident's time and add the ones you pick to the timeline.", f => f.ImportCommandAsync);
        services.AddCardAction<ChannelImportFeature>(AddVerb, f => f.AddAsync);
    }

    public async Task<IReadOnlyList<Activity>> ImportCommandAsync(CommandContext command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!channel.IsAvailable)
        {
            return [Replies.Text(NeedsGraphText)];
        }

        if (Where(command.Activity) is not var (team, channelId))
        {
            return [Replies.Text(NotAChannelText)];
        }

        var postmortem = await context.ActiveAsync(command.Activity, command.TenantId, cancellationToken).ConfigureAwait(false);
        if (postmortem is null)
        {
            return [Replies.Text(PostmortemContext.NoPostmortemText)];
        }

        var (from, to) = Window(postmortem);
        IReadOnlyList<ChannelMessage> messages;
        try
        {
            messages = await channel.ReadAsync(team, channelId, from, to, MaxCandidates * 4, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException failed)
        {
            return [Replies.Text(CouldNotRead(failed))];
        }

        var stored = (await entries.ListAsync(command.TenantId, postmortem.Id, cancellationToken).ConfigureAwait(false)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var fresh = messages.Where(m => !stored.Contains(TimelineEntryForm.EntryIdFor(m.Id))).ToList();
        string zone = PostmortemContext.ZoneOf(command.Activity);
        return [Replies.Card(ChannelImportCards.Candidates(postmortem, [.. fresh.Take(MaxCandidates)], messages.Count - fresh.Count, from, to, zone, notShown: Math.Max(0, fresh.Count - MaxCandidates)))];
    }

    public Task<InvokeResponse> AddAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForItemCardAsync(action, (postmortem, values) => AddAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> AddAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        if (!channel.IsAvailable)
        {
            return InvokeResponse.Message(NeedsGraphText);
        }

        if (Where(action.Activity) is not var (team, channelId) || postmortem.ConversationId is { } home && !IsSameChannel(home, action.Activity.Conversation?.Id))
        {
            return InvokeResponse.Message(NotAChannelText);
        }

        var chosen = (values[MessagesKey] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(id => new MessagePayload { Id = id }.HasUsableId).Take(MaxCandidates).ToHashSet(StringComparer.Ordinal);
        if (chosen.Count == 0)
        {
            return InvokeResponse.Message("Please tick at least one message to add.");
        }

        var (from, to) = Window(postmortem);
        IReadOnlyList<ChannelMessage> messages;
        try
        {
            messages = await channel.ReadAsync(team, channelId, from, to, MaxCandidates * 4, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalCallException failed)
        {
            return InvokeResponse.Message(CouldNotRead(failed));
        }

        var author = PostmortemContext.Author(action.Activity);
        string zone = PostmortemContext.ZoneOf(action.Activity);
        int added = 0, already = 0;
        foreach (var message in messages.Where(m => chosen.Contains(m.Id)))
        {
            var result = await entries.AddAsync(action.TenantId, postmortem, EntryFrom(message, postmortem.Id, author, zone), cancellationToken).ConfigureAwait(false);
            added += result.Status == WriteStatus.Saved ? 1 : 0;
            already += result.Status == WriteStatus.AlreadyExists ? 1 : 0;
        }

        return InvokeResponse.Card(ChannelImportCards.Added(postmortem, added, already, chosen.Count - added - already));
    }

    /// <summary>The entry a channel message becomes: the same one the message action makes, the invoker as author.</summary>
    private TimelineEntry EntryFrom(ChannelMessage message, string postmortemId, Person author, string zone)
    {
        string text = MessageText.ToPlainText(message.Body, message.BodyIsHtml, TextLimits.LongText).Text;
        return new TimelineEntry
        {
            Id = TimelineEntryForm.EntryIdFor(message.Id),
            PostmortemId = postmortemId,
            Author = author,
            CreatedAt = time.GetUtcNow(),
            OccurredAt = TimeZones.InZone(message.CreatedAt, zone),
            TimeZone = zone,
            Actor = SingleLineText.Name(message.SenderName, message.SentByApplication ? "An app" : "Someone"),
            Description = text.Length == 0 ? "(A message without text: see the message.)" : text,
            Kind = message.SentByApplication ? TimelineEntryKind.Detection : TimelineEntryKind.Action,
            SourceMessageId = message.Id,
            SourceLink = MessagePayload.TeamsLink(message.WebUrl?.AbsoluteUri),
        };
    }

    /// <summary>The incident's time: from an hour before it started (or a day before the postmortem, when no start is known) to an hour after it was mitigated, or now.</summary>
    private (DateTimeOffset From, DateTimeOffset To) Window(Postmortem postmortem)
    {
        var now = time.GetUtcNow();
        var from = postmortem.StartedAt?.AddHours(-1) ?? postmortem.DetectedAt?.AddHours(-1) ?? postmortem.CreatedAt.AddDays(-1);
        var to = postmortem.MitigatedAt?.AddHours(1) is { } after && after < now ? after : now;
        return (from, to);
    }

    /// <summary>The team's Entra group id (what Graph needs, not the "19:…" team id) and the channel, from the signed activity.</summary>
    private static (string Team, string Channel)? Where(Activity activity) =>
        activity.ChannelData is { Team.AadGroupId: { Length: > 0 } team, Channel.Id: { Length: > 0 } channelId } && Guid.TryParse(team, out _)
            ? (team, channelId)
            : null;

    /// <summary>The channel of a conversation id: a thread's id is "&lt;channel&gt;;messageid=&lt;root&gt;".</summary>
    private static bool IsSameChannel(string a, string? b) =>
        b is not null && string.Equals(a.Split(';')[0], b.Split(';')[0], StringComparison.Ordinal);

    private static string CouldNotRead(ExternalCallException failed) =>
        failed.RetryAfter is { } wait
            ? $"Microsoft Graph is busy right now. Please try import again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} seconds."
            : failed.IsTransient
                ? "Microsoft Graph had a temporary problem reading this channel. Please try import again in a minute."
                : "I couldn't read this channel's messages: " + failed.Message;
}
