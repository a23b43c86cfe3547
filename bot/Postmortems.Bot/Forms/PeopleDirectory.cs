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
    private readonly MemoryCache _rosters = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>The conversation's members, or an empty list when the roster cannot be read right now.</summary>
    public async Task<IReadOnlyList<Person>> MembersAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var reference = ConversationReference.FromActivity(activity);
        if (reference is null)
        {
            return [];
        }

        string key = reference.TenantId + "\n" + reference.ConversationId;
        if (_rosters.TryGetValue(key, out IReadOnlyList<Person>? cached) && cached is not null)
        {
            return cached;
        }

        try
        {
            var members = await connector.GetConversationMembersAsync(reference, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Person> people = [.. members
                .Where(m => !string.IsNullOrEmpty(m.AadObjectId))
                .Select(m => new Person(m.AadObjectId!, string.IsNullOrWhiteSpace(m.Name) ? m.Email ?? m.UserPrincipalName ?? "Unnamed" : m.Name))
                .DistinctBy(p => p.ObjectId)
                .OrderBy(p => p.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
            _rosters.Set(key, people, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });
            return people;
        }
        catch (Exception ex) when (ex is ConnectorException or UntrustedServiceUrlException or HttpRequestException)
        {
            LogRosterUnavailable(logger, ex, reference.ConversationId);
            return [];
        }
    }

    /// <summary>The person with this object id: from the roster, or the one acting, or null when unknown.</summary>
    public async Task<Person?> FindAsync(Activity activity, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var actor = PostmortemContext.Author(activity);
        if (actor.ObjectId == objectId)
        {
            return actor;
        }

        var members = await MembersAsync(activity, cancellationToken).ConfigureAwait(false);
        return members.FirstOrDefault(m => m.ObjectId == objectId);
    }

    public void Dispose() => _rosters.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the members of conversation {ConversationId}")]
    private static partial void LogRosterUnavailable(ILogger logger, Exception exception, string conversationId);
}
