using Microsoft.Extensions.Caching.Memory;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Conversations;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// Keeps the reference of every conversation the bot hears from, for replies and proactive messages later. Written
/// only from authenticated activities; the newest activity's service URL wins. Unchanged references are not
/// rewritten, so a busy chat costs no extra storage writes.
/// </summary>
public sealed partial class ConversationReferences(
    ConversationStore store,
    TrustedServiceUrls trusted,
    TimeProvider time,
    ILogger<ConversationReferences> logger) : IDisposable
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
        string key = tenantId + "\n" + reference.ConversationId;
        if (_lastSaved.TryGetValue(key, out StoredConversation? last) && last == conversation)
        {
            return;
        }

        try
        {
            await store.SaveAsync(tenantId, conversation with { UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            _lastSaved.Set(key, conversation, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }
        catch (StorageUnavailableException ex)
        {
            // The reply can still go out; the reference is saved with the next activity.
            LogNotSaved(logger, ex, reference.ConversationId);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation reference for {ConversationId} not saved: storage unavailable")]
    private static partial void LogNotSaved(ILogger logger, Exception exception, string conversationId);
}
