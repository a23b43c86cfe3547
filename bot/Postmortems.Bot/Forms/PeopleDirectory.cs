using Microsoft.Extensions.Caching.Memory;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Protocol.Connector;
using Postmortems.Core.Common;

namespace Postmortems.Bot.Forms;

/// <summary>
/// The people of a conversation (its roster from the Bot Connector), for the owner picker's choices and to name an
/// owner chosen by Entra object id. Rosters are cached for a few minutes per conversation.
/// </summary>
public sealed partial class PeopleDirectory(ConnectorClient connector, ILogger<PeopleDirectory> logger) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RosterBudget = TimeSpan.FromSeconds(4);
    private readonly MemoryCache _rosters = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>The conversation's members, or an empty list when the roster cannot be read right now.</summary>
    public async Task<IReadOnlyList<Person>> MembersAsync(Activity activity, CancellationToken cancellationToken) =>
        [.. (await RosterAsync(activity, cancellationToken).ConfigureAwait(false)).Select(m => m.Person)];

    /// <summary>
    /// The person a people picker chose. Teams sends the Entra object id; some clients (the Agents Playground) send
    /// the member's chat id instead, so both are matched, and the Entra object id is what gets stored.
    /// </summary>
    public async Task<Person?> FindAsync(Activity activity, string chosen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (chosen == activity.From?.AadObjectId || chosen == activity.From?.Id)
        {
            return PostmortemContext.Author(activity);
        }

        var roster = await RosterAsync(activity, cancellationToken).ConfigureAwait(false);
        return roster.FirstOrDefault(m => m.Person.ObjectId == chosen || m.MemberId == chosen)?.Person;
    }

    /// <summary>
    /// The people a people picker's value names (ids, comma-joined when it allows several), in order and once each, keyed
    /// by Entra object id whatever id the client sent: a member of this chat (<see cref="FindAsync"/>), one of
    /// <paramref name="known"/> (people the postmortem already names), or someone the organisation search found outside
    /// this chat, whose Entra object id (a GUID) is all Teams sends, named <paramref name="outsiderName"/>. Ids that
    /// name no one (a chat id of someone no longer here, or garbage) are returned apart.
    /// </summary>
    public async Task<ChosenPeople> ChosenAsync(Activity activity, string? value, IEnumerable<Person> known, string outsiderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(known);
        var people = new List<Person>();
        var unknown = new List<string>();
        foreach (string id in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
        {
            var person = await FindAsync(activity, id, cancellationToken).ConfigureAwait(false)
                ?? known.FirstOrDefault(p => p.ObjectId == id)
                ?? (Guid.TryParseExact(id, "D", out _) ? new Person(id, outsiderName) : null);
            if (person is null)
            {
                unknown.Add(id);
            }
            else if (!people.Exists(p => p.ObjectId == person.ObjectId))
            {
                people.Add(person);
            }
        }

        return new ChosenPeople(people, unknown);
    }

    /// <summary>The e-mail addresses (or user principal names) the roster gives, by Entra object id; calendars need them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EmailsAsync(Activity activity, CancellationToken cancellationToken)
    {
        var roster = await RosterAsync(activity, cancellationToken).ConfigureAwait(false);
        return roster.Where(m => m.Email is not null).ToDictionary(m => m.Person.ObjectId, m => m.Email!, StringComparer.Ordinal);
    }

    public void Dispose() => _rosters.Dispose();

    private async Task<IReadOnlyList<RosterMember>> RosterAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var reference = ConversationReference.FromActivity(activity);
        if (reference is null)
        {
            return [];
        }

        string key = reference.TenantId + "\n" + reference.ConversationId;
        if (_rosters.TryGetValue(key, out IReadOnlyList<RosterMember>? cached) && cached is not null)
        {
            return cached;
        }

        // Card buttons must be answered well inside Teams' 15 s invoke limit: without a roster the picker still searches.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(RosterBudget);
        try
        {
            var members = await connector.WhileTeamsWaits().GetConversationMembersAsync(reference, budget.Token).ConfigureAwait(false);
            IReadOnlyList<RosterMember> people = [.. members
                .Where(m => !string.IsNullOrEmpty(m.AadObjectId))
                .Select(m => new RosterMember(m.Id, new Person(m.AadObjectId!, RosterName(m)), m.Email ?? m.UserPrincipalName))
                .DistinctBy(m => m.Person.ObjectId)
                .OrderBy(m => m.Person.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
            _rosters.Set(key, people, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });
            return people;
        }
        catch (Exception ex) when (ex is ConnectorException or UntrustedServiceUrlException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRosterUnavailable(logger, ex, reference.ConversationId);
            return [];
        }
    }

    /// <summary>The member's name under the one rule for names (<see cref="SingleLineText.Name"/>): shown in pickers, cards and invites.</summary>
    private static string RosterName(ConversationMember member) =>
        SingleLineText.Name(member.Name, SingleLineText.Name(member.Email ?? member.UserPrincipalName, "Unnamed"));

    /// <summary>Who a people picker named, and the ids that named no one.</summary>
    public sealed record ChosenPeople(IReadOnlyList<Person> People, IReadOnlyList<string> Unknown);

    private sealed record RosterMember(string MemberId, Person Person, string? Email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the members of conversation {ConversationId}")]
    private static partial void LogRosterUnavailable(ILogger logger, Exception exception, string conversationId);
}
