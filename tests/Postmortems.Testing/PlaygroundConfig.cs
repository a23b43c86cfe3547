using System.Globalization;
using System.Text;

namespace Postmortems.Testing;

/// <summary>
/// The Agents Playground's configuration file with its default people (Alex Wilber, Megan Bowen and four more), a
/// chosen current user and a fixed group chat id: two Playgrounds started with the same group chat id and different
/// current users are two people in one group chat, as far as the bot can tell.
/// </summary>
public static class PlaygroundConfig
{
    private static readonly (string Id, string Name, string Upn, string ObjectId)[] People =
    [
        ("user-id-0", "Alex Wilber", "alexw@example.com", "00000000-0000-0000-0000-0000000000020"),
        ("user-id-1", "Megan Bowen", "meganb@example.com", "00000000-0000-0000-0000-0000000000021"),
        ("user-id-2", "Adele Vance", "adelev@example.com", "00000000-0000-0000-0000-0000000000022"),
        ("user-id-3", "Isaiah Langer", "isaiahl@example.com", "00000000-0000-0000-0000-0000000000023"),
        ("user-id-4", "Patti Fernandez", "pattif@example.com", "00000000-0000-0000-0000-0000000000024"),
        ("user-id-5", "Lynne Robbins", "lynner@example.com", "00000000-0000-0000-0000-0000000000025"),
    ];

    /// <param name="currentUser">Who types in this Playground, by display name ("Megan Bowen").</param>
    public static string Yaml(string currentUser, string groupChatId)
    {
        var me = People.Single(p => p.Name == currentUser);
        var yaml = new StringBuilder();
        yaml.AppendLine("version: \"0.1.1\"");
        yaml.AppendLine("tenantId: 00000000-0000-0000-0000-0000000000001");
        yaml.AppendLine("bot:");
        yaml.AppendLine("  id: 00000000-0000-0000-0000-00000000000011");
        yaml.AppendLine("  name: Test Bot");
        yaml.AppendLine("currentUser:");
        Person(yaml, me, "  ");
        yaml.AppendLine("users:");
        foreach (var other in People.Where(p => p != me))
        {
            Person(yaml, other, "  - ", "    ");
        }

        yaml.AppendLine(CultureInfo.InvariantCulture, $"personalChat:\n  id: personal-{me.Id}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"groupChat:\n  id: {groupChatId}\n  name: Group Chat");
        yaml.AppendLine("team:\n  id: team-id\n  name: My Team\n  aadGroupId: 00000000-0000-0000-0000-000000000031\n  channels:\n    - id: channel-announcements-id\n      name: Announcements");
        return yaml.ToString();
    }

    private static void Person(StringBuilder yaml, (string Id, string Name, string Upn, string ObjectId) p, string first, string? rest = null)
    {
        rest ??= first;
        string[] given = p.Name.Split(' ');
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{first}id: {p.Id}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}name: {p.Name}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}userPrincipleName: {p.Upn}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}aadObjectId: {p.ObjectId}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}givenName: {given[0]}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}surname: {given[1]}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"{rest}email: {p.Upn}");
    }
}
