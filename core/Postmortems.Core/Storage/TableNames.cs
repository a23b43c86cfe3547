namespace Postmortems.Core.Storage;

/// <summary>
/// The product's tables: <see cref="All"/> is the one list, so a new table cannot be forgotten. The table initializer
/// creates every table in it and the health check checks every one (a test fails when code names a table that is not
/// in the list). Table names: 3 to 63 letters and digits, starting with a letter.
/// </summary>
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

    /// <summary>
    /// Which actions (and postmortems, for the weekly digest) have a reminder due on which day; partition = the day
    /// ("yyyyMMdd"), so the reminder scan reads only what is due (see <see cref="Actions.RemindersDueIndex"/>). Rows
    /// carry their tenant as a property.
    /// </summary>
    public const string RemindersDue = "RemindersDue";

    /// <summary>The To Do sync's links between actions and tasks, owners' lists and subscriptions (see GraphSync's TodoSyncStore).</summary>
    public const string TodoSync = "TodoSync";

    /// <summary>
    /// One compact row per postmortem for search, the overview and "seen before"; partition = tenant. Rebuilt after
    /// every write of the postmortem or of its actions, ideas, factors and takeaways (see <see cref="Search.PostmortemIndex"/>).
    /// </summary>
    public const string PostmortemIndex = "PostmortemIndex";

    /// <summary>Every table the product uses.</summary>
    public static IReadOnlyList<string> All { get; } = [Postmortems, PostmortemItems, Conversations, Outbox, ActionsByOwner, RemindersDue, TodoSync, PostmortemIndex];
}
