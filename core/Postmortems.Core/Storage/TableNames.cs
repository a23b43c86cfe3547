namespace Postmortems.Core.Storage;

/// <summary>The product's tables. Table names: 3 to 63 letters and digits, starting with a letter.</summary>
public static class TableNames
{
    /// <summary>One row per postmortem; partition = tenant, so a tenant's list is one partition query.</summary>
    public const string Postmortems = "Postmortems";

    /// <summary>Everything inside a postmortem; partition = tenant + postmortem, so a whole postmortem is one partition query.</summary>
    public const string PostmortemItems = "PostmortemItems";

    /// <summary>One row per Teams conversation the bot is in; partition = tenant.</summary>
    public const string Conversations = "Conversations";

    /// <summary>
    /// Every Microsoft Graph write waiting to be sent (or sent, or given up on); one partition, read by the outbox
    /// worker of every app instance. Rows carry their tenant as a property.
    /// </summary>
    public const string Outbox = "Outbox";

    /// <summary>
    /// A copy of every open or in-progress action, filed under its owner; partition = tenant + owner, so "my actions"
    /// is one partition query. Written after each action write (see <see cref="Actions.ActionsByOwnerIndex"/>).
    /// </summary>
    public const string ActionsByOwner = "ActionsByOwner";

    public static IReadOnlyList<string> All { get; } = [Postmortems, PostmortemItems, Conversations, Outbox, ActionsByOwner];
}
