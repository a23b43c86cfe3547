using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// Conversation references, one row per conversation in the tenant's partition of the Conversations table. The row
/// key is a hash of the conversation id: Teams ids hold characters such as ';' and can be long, and a hash keeps
/// every key valid and the same length.
/// </summary>
public sealed class ConversationStore(PostmortemTables tables)
{
    /// <summary>
    /// Concurrent edits are retried until the caller's token ends (a Teams request's deadline, <see cref="StorageRequest"/>),
    /// and at most this long for callers with no deadline.
    /// </summary>
    private static readonly TimeSpan MaxRetryTime = TimeSpan.FromSeconds(10);
    private const int MaxFieldLength = 1024;
    private const string LinkPrefix = "_pm_";
    private const string ActiveSuffix = "_active";

    public async Task<StoredConversation?> GetAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        var response = await StorageCalls.Run(
            () => tables.Conversations.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), RowKey(conversationId), cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>
    /// Inserts or updates the reference with If-Match on the version read, unless the stored one is newer
    /// (<see cref="StoredConversation.SeenAt"/>). A concurrent edit (412, or 409 when both inserted) is read again and
    /// retried with a short jittered pause until the caller's deadline, not a fixed number of times: sixteen activities
    /// arriving together in a new chat all land, and the newest reference wins whatever order they arrive in.
    /// Answers the reference stored afterwards: <paramref name="conversation"/> with its new ETag, or the newer one kept.
    /// </summary>
    public async Task<StoredConversation> SaveAsync(string tenantId, StoredConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Validate(conversation);
        var started = Environment.TickCount64;
        for (int attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(tenantId, conversation.ConversationId, cancellationToken).ConfigureAwait(false);
            if (existing is not null && existing.SeenAt > conversation.SeenAt)
            {
                return existing;
            }

            var entity = ToEntity(tenantId, conversation);
            try
            {
                var response = existing?.ETag is { } etag
                    ? await StorageCalls.Run(() => tables.Conversations.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false)
                    : await StorageCalls.Run(() => tables.Conversations.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                return conversation with { ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404 && !GiveUp(started))
            {
                // Someone saved it between our read and our write: read again and write on top of theirs, if still newer.
                await PauseAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool GiveUp(long startedTicks) => Environment.TickCount64 - startedTicks > MaxRetryTime.TotalMilliseconds;

    /// <summary>A few milliseconds, growing with the attempt and jittered, so writers that collided do not collide again in step.</summary>
    private static Task PauseAsync(int attempt, CancellationToken cancellationToken)
    {
        int ceiling = Math.Min(100, 5 << Math.Min(attempt, 5));
        return StorageCalls.Run(
            async () =>
            {
                await Task.Delay(Random.Shared.Next(1, ceiling), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Binds a postmortem to the conversation it was started in and makes it the active one there. Both rows live in the
    /// tenant's partition next to the reference: "&lt;hash&gt;_pm_&lt;id&gt;" per postmortem, "&lt;hash&gt;_active" for the active one.
    /// </summary>
    public async Task LinkPostmortemAsync(string tenantId, string conversationId, string postmortemId, CancellationToken cancellationToken = default)
    {
        var link = new TableEntity(PartitionKeys.ForTenant(tenantId), RowKey(conversationId) + LinkPrefix + postmortemId)
        {
            ["PostmortemId"] = postmortemId,
        };
        try
        {
            await StorageCalls.Run(() => tables.Conversations.AddEntityAsync(link, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Linked already (a redelivered "new"): nothing to add.
        }

        await SetActivePostmortemAsync(tenantId, conversationId, postmortemId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The postmortem the conversation's commands act on, or null when none was started or chosen there.</summary>
    public async Task<string?> GetActivePostmortemIdAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        var response = await StorageCalls.Run(
            () => tables.Conversations.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), RowKey(conversationId) + ActiveSuffix, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value?.GetString("PostmortemId") : null;
    }

    /// <summary>Makes a postmortem the active one (the "switch" command); the newest choice wins, sent with If-Match on the row read.</summary>
    public async Task SetActivePostmortemAsync(string tenantId, string conversationId, string postmortemId, CancellationToken cancellationToken = default)
    {
        string partition = PartitionKeys.ForTenant(tenantId);
        string row = RowKey(conversationId) + ActiveSuffix;
        var started = Environment.TickCount64;
        for (int attempt = 1; ; attempt++)
        {
            var current = await StorageCalls.Run(
                () => tables.Conversations.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var entity = new TableEntity(partition, row) { ["PostmortemId"] = postmortemId };
            try
            {
                _ = current.HasValue && current.Value is { } existing
                    ? await StorageCalls.Run(() => tables.Conversations.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false)
                    : await StorageCalls.Run(() => tables.Conversations.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404 && !GiveUp(started))
            {
                // Someone switched at the same moment: read their choice's version and write ours on top.
                await PauseAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The ids of the postmortems started in (or linked to) a conversation: one row-key range of the tenant's partition.</summary>
    public async Task<IReadOnlyList<string>> ListPostmortemIdsAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        string from = RowKey(conversationId) + LinkPrefix;
        string to = RowKey(conversationId) + "_pm`"; // '`' follows '_': [from, to) is exactly this conversation's links.
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForTenant(tenantId)} and RowKey ge {from} and RowKey lt {to}");
        return await StorageCalls.Run(
            async () =>
            {
                var ids = new List<string>();
                await foreach (var row in tables.Conversations.QueryAsync<TableEntity>(filter, select: ["PostmortemId"], cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(row.GetString("PostmortemId"));
                }

                return (IReadOnlyList<string>)ids;
            },
            cancellationToken).ConfigureAwait(false);
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
        [nameof(c.SeenAt)] = c.SeenAt,
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

        // Rows stored before SeenAt existed: as old as their last update.
        SeenAt = e.GetInstant(nameof(StoredConversation.SeenAt)) ?? e.GetInstant(nameof(StoredConversation.UpdatedAt)) ?? DateTimeOffset.MinValue,
        ETag = e.ETag.ToString(),
    };

    private static string? Truncate(string? value) => value is { Length: > MaxFieldLength } ? value[..MaxFieldLength] : value;
}
