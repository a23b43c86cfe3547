using Azure;
using Azure.Data.Tables;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// What the bot knows about reaching one person proactively: the time zone Teams last reported for them
/// (activity.localTimezone), their bot-scoped "29:" id, the service URL and bot id of a conversation they were in (to
/// create the 1:1 chat from), and the 1:1 chat once known. Written from authenticated activities only.
/// </summary>
public sealed record UserContact
{
    /// <summary>The Entra object id.</summary>
    public required string ObjectId { get; init; }

    /// <summary>IANA or Windows id; null when Teams never sent a zone we know.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The "29:" id Teams gives this user for this bot.</summary>
    public string? UserId { get; init; }

    public string? ServiceUrl { get; init; }

    public string? BotId { get; init; }

    public string? BotName { get; init; }

    /// <summary>The bot's 1:1 chat with the user, when one is known (they wrote in it, or the bot created it).</summary>
    public string? PersonalConversationId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// <see cref="UserContact"/> rows in the Conversations table, in the tenant's partition next to the conversation
/// references, row key "user_" + object id (conversation rows are 64 hex digits with suffixes, so they never collide).
/// Writes are merges without If-Match: every field is "the newest seen", so the last writer winning is right, and a
/// field left null by one writer (e.g. no personal chat in a group activity) never erases what another stored.
/// </summary>
public sealed class UserContactStore(PostmortemTables tables)
{
    private const string Prefix = "user_";
    private const int MaxFieldLength = 1024;

    public async Task<UserContact?> GetAsync(string tenantId, string objectId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(objectId))
        {
            return null;
        }

        var response = await StorageCalls.Run(
            () => tables.Conversations.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), Prefix + objectId, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } e ? FromEntity(e) : null;
    }

    /// <summary>Stores the non-null fields of <paramref name="contact"/> over what is stored (a merge).</summary>
    public async Task SaveAsync(string tenantId, UserContact contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (!Ids.IsValidKeyPart(contact.ObjectId))
        {
            return;
        }

        var entity = new TableEntity(PartitionKeys.ForTenant(tenantId), Prefix + contact.ObjectId)
        {
            [nameof(UserContact.UpdatedAt)] = contact.UpdatedAt,
        };
        void Set(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && value.Length <= MaxFieldLength)
            {
                entity[name] = value;
            }
        }

        Set(nameof(UserContact.TimeZone), TimeZones.IsKnown(contact.TimeZone) ? contact.TimeZone : null);
        Set(nameof(UserContact.UserId), contact.UserId);
        Set(nameof(UserContact.ServiceUrl), contact.ServiceUrl);
        Set(nameof(UserContact.BotId), contact.BotId);
        Set(nameof(UserContact.BotName), contact.BotName);
        Set(nameof(UserContact.PersonalConversationId), contact.PersonalConversationId);
        await StorageCalls.Run(() => tables.Conversations.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static UserContact FromEntity(TableEntity e) => new()
    {
        ObjectId = e.RowKey[Prefix.Length..],
        TimeZone = e.GetString(nameof(UserContact.TimeZone)),
        UserId = e.GetString(nameof(UserContact.UserId)),
        ServiceUrl = e.GetString(nameof(UserContact.ServiceUrl)),
        BotId = e.GetString(nameof(UserContact.BotId)),
        BotName = e.GetString(nameof(UserContact.BotName)),
        PersonalConversationId = e.GetString(nameof(UserContact.PersonalConversationId)),
        UpdatedAt = e.GetInstant(nameof(UserContact.UpdatedAt)) ?? DateTimeOffset.MinValue,
    };
}
