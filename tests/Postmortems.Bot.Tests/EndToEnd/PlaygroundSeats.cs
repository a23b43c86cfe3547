using System.Globalization;

namespace Postmortems.Bot.Tests.EndToEnd;

/// <summary>
/// Agents Playground configurations that seat different people in the same group chat: each Playground has one current
/// user, so two Playgrounds with the same group chat id (and personal chats of their own) are two people in one chat.
/// The people are the Playground's own mock users.
/// </summary>
internal static class PlaygroundSeats
{
    private static readonly (string Id, string Name, string Upn, string ObjectId, string Given, string Surname)[] People =
    [
        ("user-id-0", "Alex Wilber", "alexw@example.com", "00000000-0000-0000-0000-0000000000020", "Alex", "Wilber"),
        ("user-id-1", "Megan Bowen", "meganb@example.com", "00000000-0000-0000-0000-0000000000021", "Megan", "Bowen"),
        ("user-id-2", "Adele Vance", "adelev@example.com", "00000000-0000-0000-0000-0000000000022", "Adele", "Vance"),
    ];

    /// <summary>The configuration seating <paramref name="current"/> (an index into the mock users) in group chat <paramref name="groupChatId"/>.</summary>
    public static string Config(int current, string groupChatId)
    {
        var me = People[current];
        var yaml = new System.Text.StringBuilder();
        yaml.AppendLine("version: \"0.1.1\"");
        yaml.AppendLine("tenantId: 00000000-0000-0000-0000-0000000000001");
        yaml.AppendLine("bot:\n  id: 00000000-0000-0000-0000-00000000000011\n  name: Test Bot");
        yaml.Append("currentUser:\n").Append(Person(me, "  "));
        yaml.AppendLine("users:");
        foreach (var other in People.Where(p => p.Id != me.Id))
        {
            yaml.Append("  - ").Append(Person(other, "    ")[4..]);
        }

        yaml.AppendLine(CultureInfo.InvariantCulture, $"personalChat:\n  id: personal-{me.Id}-{groupChatId}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"groupChat:\n  id: {groupChatId}\n  name: Group Chat");
        yaml.AppendLine("team:\n  id: team-id\n  name: My Team\n  aadGroupId: 00000000-0000-0000-0000-000000000031\n  channels:\n    - id: channel-announcements-id\n      name: Announcements");
        return yaml.ToString();
    }

    private static string Person((string Id, string Name, string Upn, string ObjectId, string Given, string Surname) p, string indent) =>
        string.Concat(
            $"{indent}id: {p.Id}\n",
            $"{indent}name: {p.Name}\n",
            $"{indent}userPrincipleName: {p.Upn}\n",
            $"{indent}aadObjectId: {p.ObjectId}\n",
            $"{indent}givenName: {p.Given}\n",
            $"{indent}surname: {p.Surname}\n",
            $"{indent}email: {p.Upn}\n");
}
