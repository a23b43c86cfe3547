using System.Collections.Frozen;
using System.Text.Json;
using Postmortems.Bot.Actions;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Discussion;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Meetings;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Remediation;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Lifecycle;

/// <summary>
/// A published or closed postmortem keeps its analysis as it was shared: the commands and buttons that change it are
/// refused with the reason (<see cref="PostmortemLifecycle.AnalysisFrozenReason"/>) before their feature runs, and
/// change nothing. Action status updates, the follow-up meeting, export and reopening go on. A new command or button
/// that changes the analysis is one line in <see cref="Commands"/> or <see cref="Verbs"/>.
/// </summary>
public sealed class AnalysisFreeze(PostmortemRepository postmortems, ConversationStore conversations)
{
    /// <summary>The typed commands that change the analysis (names, not aliases: an alias runs its command).</summary>
    public static readonly FrozenSet<string> Commands = new[]
    {
        "summary",
        "entry",
        "idea",
        "whys",
        "takeaways",
        "action",
        "schedule",
        "factor",
        "went well",
        "lucky",
        "import",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The card buttons that change the analysis, each with when it does (given the card's data): most always do;
    /// saving an action only when it adds one (editing an existing action's owner or date is tracking work), the
    /// meeting buttons only for the postmortem meeting (the follow-up meeting is about the actions).
    /// </summary>
    public static readonly FrozenDictionary<string, Func<FormValues, bool>> Verbs = new Dictionary<string, Func<FormValues, bool>>
    {
        [PostmortemCards.SummaryFormVerb] = Always,
        [PostmortemCards.SummarySaveVerb] = Always,
        [TimelineCards.NewVerb] = Always,
        [TimelineCards.SaveVerb] = Always,
        [TimelineCards.EditVerb] = Always,
        [IdeaCards.NewVerb] = Always,
        [IdeaCards.SaveVerb] = Always,
        [DiscussionCards.WhysNewVerb] = Always,
        [DiscussionCards.WhysSaveVerb] = Always,
        [DiscussionCards.TakeawayNewVerb] = Always,
        [DiscussionCards.TakeawaySaveVerb] = Always,
        [ActionCards.NewVerb] = Always,
        [ActionCards.SaveVerb] = v => v[FormCards.ItemIdKey] is null,
        [MessageExtension.ChannelImportFeature.AddVerb] = Always,
        [MeetingCards.PreviewVerb] = ForThePostmortemMeeting,
        [MeetingCards.ConfirmVerb] = ForThePostmortemMeeting,
        [Analysis.FactorCards.NewVerb] = Always,
        [Analysis.FactorCards.SaveVerb] = Always,
        [Analysis.NoteList.WentWell.NewVerb] = Always,
        [Analysis.NoteList.WentWell.SaveVerb] = Always,
        [Analysis.NoteList.Lucky.NewVerb] = Always,
        [Analysis.NoteList.Lucky.SaveVerb] = Always,
        [IdeaCards.EditVerb] = Always,
        [DiscussionCards.WhysEditVerb] = Always,
        [DiscussionCards.TakeawayEditVerb] = Always,
        [Analysis.FactorCards.EditVerb] = Always,
        [Analysis.NoteList.WentWell.EditVerb] = Always,
        [Analysis.NoteList.Lucky.EditVerb] = Always,

        // Removing or restoring any item (an action included) changes what was shared.
        [Items.ItemCards.RemoveVerb] = Always,
        [Items.ItemCards.RestoreVerb] = Always,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Null when the button may run; else the refusal, as the button's answer.</summary>
    public async Task<InvokeResponse?> RefuseCardAsync(string verb, JsonElement data, string tenantId, CancellationToken cancellationToken)
    {
        if (!Verbs.TryGetValue(verb, out var changesAnalysis))
        {
            return null;
        }

        var values = new FormValues(data);
        if (!changesAnalysis(values) || values[FormCards.PostmortemIdKey] is not { } id)
        {
            return null;
        }

        // A fresh read: the status decides, and a postmortem published a second ago must already refuse.
        Postmortem? postmortem;
        try
        {
            postmortem = await postmortems.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            // Storage is down or the request's deadline passed: the feature meets the same outage on its first call
            // and answers it its own way (a form gives the card back with the person's text and "not saved").
            return null;
        }

        return postmortem is not null && PostmortemLifecycle.AnalysisFrozenReason(postmortem) is { } reason
            ? InvokeResponse.Message(reason)
            : null;
    }

    /// <summary>Null when the command may run; else the refusal text.</summary>
    public async Task<string?> RefuseCommandAsync(string commandName, Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!Commands.Contains(commandName) || activity.Conversation?.Id is not { } conversationId)
        {
            return null;
        }

        string? id = await conversations.GetActivePostmortemIdAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        var postmortem = id is null ? null : await postmortems.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        return postmortem is null ? null : PostmortemLifecycle.AnalysisFrozenReason(postmortem);
    }

    private static bool Always(FormValues values) => true;

    private static bool ForThePostmortemMeeting(FormValues values) => MeetingCards.ParseKind(values[MeetingCards.KindKey]) != GraphSync.Meetings.MeetingKind.FollowUp;
}
