using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

/// <summary>
/// The one place that builds partition keys. Every key starts with the tenant id of the authenticated caller, so a
/// read or write for one tenant can never land in another tenant's partition, whatever ids a client sends.
/// </summary>
public static class PartitionKeys
{
    private const char Separator = '|';

    public static string ForTenant(string tenantId) => RequireTenant(tenantId);

    public static string ForPostmortem(string tenantId, string postmortemId) =>
        string.Concat(RequireTenant(tenantId), Separator.ToString(), postmortemId);

    /// <summary>One person's partition of a per-person index, e.g. the actions they own.</summary>
    public static string ForOwner(string tenantId, string ownerId) =>
        Ids.IsValidKeyPart(ownerId)
            ? string.Concat(RequireTenant(tenantId), Separator.ToString(), ownerId)
            : throw new ArgumentException("An owner id must be 1 to 128 letters, digits, '-', '_' or '.'.", nameof(ownerId));

    /// <summary>Tenant ids come from validated tokens, never from user input, so a bad one is a programming error.</summary>
    private static string RequireTenant(string tenantId) =>
        Ids.IsValidKeyPart(tenantId)
            ? tenantId
            : throw new ArgumentException("A tenant id must be 1 to 128 letters, digits, '-', '_' or '.'.", nameof(tenantId));
}
