using Postmortems.Core.Postmortems;

namespace Postmortems.Core.Common;

/// <summary>Who may remove (and restore) what someone wrote in a postmortem: its author, and the facilitator.</summary>
public static class RemovalRules
{
    public static bool CanRemove(Postmortem postmortem, PostmortemItem item, Person who)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(who);
        return item.PostmortemId == postmortem.Id
            && (SamePerson(item.Author, who) || SamePerson(postmortem.Facilitator, who));
    }

    public static bool SamePerson(Person a, Person b) =>
        !string.IsNullOrEmpty(a.ObjectId) && string.Equals(a.ObjectId, b.ObjectId, StringComparison.OrdinalIgnoreCase);
}
