using Microsoft.Extensions.Caching.Memory;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// Keeps the reference of every conversation the bot hears from, for replies and proactive messages later. Written
/// only from authenticated activities; the newest activity's reference wins, newest by the activity's timestamp
/// (<see cref="StoredConversation.SeenAt"/>), so activities arriving together or out of order all get answered and the
/// stored reference ends as the newest. Unchanged references are not rewritten, so a busy chat costs no extra storage writes.
/// </summary>
public sealed partial class ConversationReferences(
    ConversationStore store,
    TrustedServiceUrls trusted,
    TimeProvider time,
    ILogger<ConversationReferences> logger,
    UserContactStore? contacts = null) : IDisposable
{
    // Bounded, so a bot in many conversations does not grow without limit; a forgotten entry costs one extra write.
    private readonly MemoryCache _lastSaved = new(new MemoryCacheOptions { SizeLimit = 50_000 });

    public async Task RememberAsync(Activity activity, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var reference = ConversationReference.FromActivity(activity);
        if (reference is null)
        {
            return;
        }

        bool personal = reference.ConversationType == "personal";
        var conversation = new StoredConversation
        {
            ConversationId = reference.ConversationId,
            ServiceUrl = reference.ServiceUrl,
            BotId = reference.BotId,
            BotName = reference.BotName,
            ConversationType = reference.ConversationType,
            ChannelId = reference.ChannelId,
            UserAadObjectId = personal ? reference.UserAadObjectId : null,
            UserId = personal ? reference.UserId : null,
            TeamId = activity.ChannelData?.Team?.Id,
        };
        await RememberUserAsync(activity, reference, tenantId, personal, cancellationToken).ConfigureAwait(false);
        string key = tenantId + "\n" + reference.ConversationId;
        if (_lastSaved.TryGetValue(key, out StoredConversation? last) && last == conversation)
        {
            return;
        }

        var now = time.GetUtcNow();
        // A timestamp far ahead of this clock would pin the reference: such an activity counts as seen now.
        var seenAt = activity.Timestamp is { } sent && sent <= now + TimeSpan.FromMinutes(5) ? sent : now;
        try
        {
            var stored = await store.SaveAsync(tenantId, conversation with { UpdatedAt = now, SeenAt = seenAt }, cancellationToken).ConfigureAwait(false);
            if (stored.SeenAt == seenAt)
            {
                // Only what this activity stored is remembered: when a newer reference was kept, this one is not it.
                _lastSaved.Set(key, conversation, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
            }
        }
        catch (Exception ex) when (ex is StorageUnavailableException or Azure.RequestFailedException)
        {
            // The reply can still go out (it uses this activity's own reference); the reference is saved with the next activity.
            LogNotSaved(logger, ex, reference.ConversationId);
        }
    }

    /// <summary>
    /// The sender's contact for reminders: their time zone (Teams sends the newest on each activity), their "29:" id,
    /// and where to create a 1:1 chat with them from (this conversation's service URL and bot). Unchanged contacts
    /// are not rewritten.
    /// </summary>
    private async Task RememberUserAsync(Activity activity, ConversationReference reference, string tenantId, bool personal, CancellationToken cancellationToken)
    {
        if (contacts is null || activity.From?.AadObjectId is not { } objectId || !Core.Common.Ids.IsValidKeyPart(objectId))
        {
            return;
        }

        var contact = new UserContact
        {
            ObjectId = objectId,
            TimeZone = Core.Common.TimeZones.IsKnown(activity.LocalTimezone) ? activity.LocalTimezone : null,
            UserId = activity.From.Id,
            ServiceUrl = reference.ServiceUrl,
            BotId = reference.BotId,
            BotName = reference.BotName,
            PersonalConversationId = personal ? reference.ConversationId : null,
        };
        string key = "user\n" + tenantId + "\n" + objectId;
        if (_lastSaved.TryGetValue(key, out UserContact? last) && last == contact)
        {
            return;
        }

        try
        {
            await contacts.SaveAsync(tenantId, contact with { UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            _lastSaved.Set(key, contact, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }
        catch (Exception ex) when (ex is StorageUnavailableException or Azure.RequestFailedException)
        {
            LogNotSaved(logger, ex, reference.ConversationId);
        }
    }

    /// <summary>The bot's 1:1 chat with a user was created proactively: store it, and remember it on their contact.</summary>
    public async Task RememberPersonalAsync(ConversationReference personal, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(personal);
        await store.SaveAsync(personal.TenantId, new StoredConversation
        {
            ConversationId = personal.ConversationId,
            ServiceUrl = personal.ServiceUrl,
            BotId = personal.BotId,
            BotName = personal.BotName,
            ConversationType = "personal",
            ChannelId = personal.ChannelId,
            UserAadObjectId = objectId,
            UserId = personal.UserId,
            UpdatedAt = time.GetUtcNow(),
            SeenAt = time.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
        if (contacts is not null)
        {
            await contacts.SaveAsync(personal.TenantId, new UserContact { ObjectId = objectId, PersonalConversationId = personal.ConversationId, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A stored reference, trusted for sending because it was stored from an authenticated activity.</summary>
    public async Task<ConversationReference?> LoadAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        trusted.Trust(stored.ServiceUrl);
        return new ConversationReference(stored.ServiceUrl, stored.ConversationId, tenantId, stored.BotId, stored.BotName,
            stored.ConversationType, stored.UserId, stored.UserAadObjectId, stored.ChannelId);
    }

    public async Task ForgetAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        _lastSaved.Remove(tenantId + "\n" + conversationId);
        await store.DeleteAsync(tenantId, conversationId, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _lastSaved.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation reference for {ConversationId} not saved now; it is saved with the next activity")]
    private static partial void LogNotSaved(ILogger logger, Exception exception, string conversationId);
}
