using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Common;

/// <summary>
/// Who may remove (and restore) what someone wrote in a postmortem: its author, the facilitator, and the scribe (who may
/// do all the facilitator does but hand over, publish and reopen). Editing a factor or a note follows the same rule.
/// </summary>
public static class RemovalRules
{
    public static bool CanRemove(Postmortem postmortem, PostmortemItem item, Person who)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(who);
        return item.PostmortemId == postmortem.Id
            && (SamePerson(item.Author, who) || SamePerson(postmortem.Facilitator, who) || (postmortem.Scribe is { } scribe && SamePerson(scribe, who)));
    }

    /// <summary>Editing a contributing factor, or a note on what went well or where we got lucky: as for removing it.</summary>
    public static bool CanEdit(Postmortem postmortem, PostmortemItem item, Person who) => CanRemove(postmortem, item, who);

    public static bool SamePerson(Person a, Person b) =>
        !string.IsNullOrEmpty(a.ObjectId) && string.Equals(a.ObjectId, b.ObjectId, StringComparison.OrdinalIgnoreCase);
}
