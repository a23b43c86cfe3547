using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Conversations;

/// <summary>
/// Conversation references, one row per conversation in the tenant's partition of the Conversations table. The row
/// key is a hash of the conversation id: Teams ids hold characters such as ';' and can be long, and a hash keeps
/// every key valid and the same length.
/// </summary>
public sealed class ConversationStore(PostmortemTables tables)
{
    private const int MaxConcurrentEditRetries = 3;
    private const int MaxFieldLength = 1024;

    public async Task<StoredConversation?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        var response = await StorageCalls.Run(
            () => tables.Conversations.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), RowKey(conversationId), cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>
    /// Inserts or updates the reference with If-Match on the version read. A concurrent edit is retried on the
    /// newest version, so two activities arriving together both land and the newest service URL wins.
    /// </summary>
    public async Task<StoredConversation> SaveAsync(string tenantId, StoredConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Validate(conversation);
        for (int attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(tenantId, conversation.ConversationId, cancellationToken).ConfigureAwait(false);
            var entity = ToEntity(tenantId, conversation);
            try
            {
                var response = existing?.ETag is { } etag
                    ? await StorageCalls.Run(() => tables.Conversations.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false)
                    : await StorageCalls.Run(() => tables.Conversations.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                return conversation with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404 && attempt < MaxConcurrentEditRetries)
            {
                // Someone saved it between our read and our write: read again and write on top of theirs.
            }
        }
    }

    public async Task DeleteAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default) =>
        await StorageCalls.Run(
            () => tables.Conversations.DeleteEntityAsync(PartitionKeys.ForTenant(tenantId), RowKey(conversationId), ETag.All, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    private static void Validate(StoredConversation c)
    {
        foreach (var (name, value) in new[] { ("conversation id", c.ConversationId), ("service URL", c.ServiceUrl), ("bot id", c.BotId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > MaxFieldLength)
            {
                throw new ArgumentException($"A stored conversation needs a {name} of 1 to {MaxFieldLength} characters.", nameof(c));
            }
        }
    }

    private static string RowKey(string conversationId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId)));

    private static TableEntity ToEntity(string tenantId, StoredConversation c) => new(PartitionKeys.ForTenant(tenantId), RowKey(c.ConversationId))
    {
        [nameof(c.ConversationId)] = c.ConversationId,
        [nameof(c.ServiceUrl)] = c.ServiceUrl,
        [nameof(c.BotId)] = c.BotId,
        [nameof(c.BotName)] = Truncate(c.BotName),
        [nameof(c.ConversationType)] = Truncate(c.ConversationType),
        [nameof(c.ChannelId)] = Truncate(c.ChannelId),
        [nameof(c.UserAadObjectId)] = Truncate(c.UserAadObjectId),
        [nameof(c.UserId)] = Truncate(c.UserId),
        [nameof(c.TeamId)] = Truncate(c.TeamId),
        [nameof(c.UpdatedAt)] = c.UpdatedAt,
    };

    private static StoredConversation FromEntity(TableEntity e) => new()
    {
        ConversationId = e.RequiredString(nameof(StoredConversation.ConversationId)),
        ServiceUrl = e.RequiredString(nameof(StoredConversation.ServiceUrl)),
        BotId = e.RequiredString(nameof(StoredConversation.BotId)),
        BotName = e.GetString(nameof(StoredConversation.BotName)),
        ConversationType = e.GetString(nameof(StoredConversation.ConversationType)),
        ChannelId = e.GetString(nameof(StoredConversation.ChannelId)),
        UserAadObjectId = e.GetString(nameof(StoredConversation.UserAadObjectId)),
        UserId = e.GetString(nameof(StoredConversation.UserId)),
        TeamId = e.GetString(nameof(StoredConversation.TeamId)),
        UpdatedAt = e.GetInstant(nameof(StoredConversation.UpdatedAt)) ?? DateTimeOffset.MinValue,
        ETag = e.ETag.ToString(),
    };

    private static string? Truncate(string? value) => value is { Length: > MaxFieldLength } ? value[..MaxFieldLength] : value;
}
