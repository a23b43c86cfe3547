using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;
using Postmortems.Bot.Commands;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>
/// The Teams app package made by manifest/package.mjs: what the zip holds, that the manifest passes the official schema
/// (checked again here with NJsonSchema, independently of the script's ajv), and that it matches the app it describes.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ManifestPackageTests
{
    private static AppPackage _package = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task BuildPackage(TestContext context) => _package = await AppPackage.BuildAsync(context.CancellationToken);

    [TestMethod]
    public void TheZipHoldsTheManifestTheIconsAndTheLocalizationFileAtItsRoot()
    {
        CollectionAssert.AreEquivalent(new[] { "manifest.json", "color.png", "outline.png", "en-us.json" }, _package.Entries.Keys.ToArray());
        Assert.AreEqual("color.png", (string)_package.Manifest["icons"]!["color"]!);
        Assert.AreEqual("outline.png", (string)_package.Manifest["icons"]!["outline"]!);
        Assert.AreEqual("en-us.json", (string)_package.Manifest["localizationInfo"]!["defaultLanguageFile"]!);
    }

    [TestMethod]
    public void TheIconsHaveTheSizesTeamsAndOutlookRequire()
    {
        Assert.AreEqual((192, 192), AppPackage.PngSize(_package.Entries["color.png"]));
        Assert.AreEqual((32, 32), AppPackage.PngSize(_package.Entries["outline.png"]));

        // The Outlook ribbon icons are fetched from the app: the files it serves have the sizes the manifest states.
        var icons = _package.Manifest["extensions"]![0]!["ribbons"]![0]!["tabs"]![0]!["groups"]![0]!["icons"]!.AsArray();
        CollectionAssert.AreEquivalent(new[] { 16, 32, 80 }, icons.Select(i => (int)i!["size"]!).ToArray());
        foreach (var icon in icons)
        {
            var url = new Uri((string)icon!["url"]!);
            Assert.AreEqual(AppPackage.Host, url.Host);
            string file = Path.Combine(RepositoryRoot.Path, "bot", "Postmortems.Bot", "wwwroot", url.AbsolutePath.TrimStart('/'));
            int size = (int)icon["size"]!;
            Assert.AreEqual((size, size), AppPackage.PngSize(File.ReadAllBytes(file)), file);
        }
    }

    [TestMethod]
    public async Task TheManifestValidatesAgainstTheOfficialSchemaOfItsVersion()
    {
        Assert.AreEqual("1.25", (string)_package.Manifest["manifestVersion"]!);
        Assert.AreEqual("https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json", (string)_package.Manifest["$schema"]!);

        var schema = await JsonSchema.FromFileAsync(Path.Combine(_package.SchemaFolder, "MicrosoftTeams.schema.json"), TestContext.CancellationToken);
        string manifest = System.Text.Encoding.UTF8.GetString(_package.Entries["manifest.json"]);
        var errors = schema.Validate(manifest);
        Assert.IsEmpty(errors, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        var localization = await JsonSchema.FromFileAsync(Path.Combine(_package.SchemaFolder, "MicrosoftTeams.Localization.schema.json"), TestContext.CancellationToken);
        var localizationErrors = localization.Validate(System.Text.Encoding.UTF8.GetString(_package.Entries["en-us.json"]));
        Assert.IsEmpty(localizationErrors, string.Join("\n", localizationErrors.Select(e => $"{e.Path}: {e.Kind}")));

        // The same validator refuses what Teams refuses (a thirteenth command in a list): the check is not vacuous.
        var tooMany = _package.Manifest.DeepClone().AsObject();
        var commands = tooMany["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();
        while (commands.Count <= 12)
        {
            commands.Add(new JsonObject { ["title"] = "extra" + commands.Count, ["description"] = "More." });
        }

        Assert.IsNotEmpty(schema.Validate(tooMany.ToJsonString()));
    }

    [TestMethod]
    public void TheManifestDeclaresTheMessageActionTheSearchAndTheChannelReadPermissionTheBotAnswers()
    {
        var extension = _package.Manifest["composeExtensions"]!.AsArray().Single()!;
        Assert.AreEqual((string)_package.Manifest["bots"]![0]!["botId"]!, (string)extension["botId"]!);
        var commands = extension["commands"]!.AsArray().ToDictionary(c => (string)c!["id"]!, c => c!);
        var action = commands[Postmortems.Bot.MessageExtension.AddToTimelineFeature.CommandId];
        Assert.AreEqual("action", (string)action["type"]!);
        Assert.IsTrue((bool)action["fetchTask"]!, "the bot builds the dialog from the message");
        CollectionAssert.AreEqual(new[] { "message" }, action["context"]!.AsArray().Select(c => (string)c!).ToArray());
        var search = commands[Postmortems.Bot.MessageExtension.SearchPostmortemsFeature.CommandId];
        Assert.AreEqual("query", (string)search["type"]!);
        Assert.AreEqual("Postmortems", (string)search["title"]!);
        Assert.HasCount(2, commands);

        var rsc = _package.Manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray()
            .Select(p => ((string)p!["name"]!, (string)p["type"]!)).ToList();
        Assert.Contains(("ChannelMessage.Read.Group", "Application"), rsc);
    }

    [TestMethod]
    public async Task TheCommandMenuAndTheCommandsLeftOutOfItAreExactlyTheBotsRegisteredCommands()
    {
        var registered = (await RegisteredCommandsAsync()).Select(c => (c.Name, c.Description)).ToList();

        var lists = _package.Manifest["bots"]![0]!["commandLists"]!.AsArray();
        Assert.HasCount(1, lists, "one menu for every scope");
        CollectionAssert.AreEquivalent(new[] { "personal", "team", "groupChat" }, lists[0]!["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        var menu = lists[0]!["commands"]!.AsArray().Select(c => ((string)c!["title"]!, (string)c["description"]!)).ToList();

        var outside = JsonNode.Parse(File.ReadAllText(Path.Combine(AppPackage.ManifestFolder, "commands-outside-menu.json")))!["commands"]!.AsArray()
            .Select(c => ((string)c!["title"]!, (string)c["description"]!)).ToList();

        Assert.HasCount(Math.Min(12, registered.Count), menu, "the menu is as full as Teams allows");
        CollectionAssert.AreEquivalent(registered, menu.Concat(outside).ToList(), "manifest menu + commands-outside-menu.json = the bot's commands, names and descriptions");
        Assert.Contains(("help", "Show this list of commands."), menu, "help, which lists the others, is always on the menu");
    }

    [TestMethod]
    public void TheTabsTheBotAndSingleSignOnPointAtTheConfiguredAppAndHost()
    {
        var m = _package.Manifest;
        Assert.AreEqual(AppPackage.AppId, (string)m["id"]!);
        Assert.AreEqual(AppPackage.BotId, (string)m["bots"]![0]!["botId"]!);
        CollectionAssert.AreEquivalent(new[] { "personal", "team", "groupChat" }, m["bots"]![0]!["scopes"]!.AsArray().Select(s => (string)s!).ToArray());

        var configurable = m["configurableTabs"]![0]!;
        Assert.AreEqual($"https://{AppPackage.Host}/tab/config", (string)configurable["configurationUrl"]!);
        CollectionAssert.IsSubsetOf(
            new[] { "channelTab", "privateChatTab", "meetingChatTab", "meetingDetailsTab", "meetingSidePanel" },
            configurable["context"]!.AsArray().Select(s => (string)s!).ToArray());

        var myActions = m["staticTabs"]!.AsArray().Single(t => (string)t!["entityId"]! == "myActions")!;
        Assert.AreEqual($"https://{AppPackage.Host}/tab/me", (string)myActions["contentUrl"]!);
        Assert.AreEqual("My actions", (string)myActions["name"]!);

        CollectionAssert.Contains(m["validDomains"]!.AsArray().Select(d => (string)d!).ToArray(), AppPackage.Host);
        Assert.AreEqual(AppPackage.ClientId, (string)m["webApplicationInfo"]!["id"]!);
        Assert.AreEqual($"api://{AppPackage.Host}/{AppPackage.ClientId}", (string)m["webApplicationInfo"]!["resource"]!);

        var runtime = m["extensions"]![0]!["runtimes"]![0]!;
        Assert.AreEqual($"https://{AppPackage.Host}/outlook/taskpane.html", (string)runtime["code"]!["page"]!);
        Assert.IsTrue(File.Exists(Path.Combine(RepositoryRoot.Path, "bot", "Postmortems.Bot", "wwwroot", "outlook", "taskpane.html")));
        CollectionAssert.AreEquivalent(
            new[] { "meetingDetailsOrganizer", "meetingDetailsAttendee" },
            m["extensions"]![0]!["ribbons"]![0]!["contexts"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.AreEqual((string)runtime["actions"]![0]!["id"]!, (string)m["extensions"]![0]!["ribbons"]![0]!["tabs"]![0]!["groups"]![0]!["controls"]![0]!["actionId"]!);
        Assert.DoesNotContain("${{", m.ToJsonString(), "every placeholder is filled");
    }

    [TestMethod]
    public async Task PackagingRefusesMissingOrMalformedSettingsAndWritesNothing()
    {
        string zip = Path.Combine(Path.GetTempPath(), "postmortems-refused-" + Guid.NewGuid().ToString("N") + ".zip");
        var result = await AppPackage.RunPackagerAsync(["--app-id", "not-a-guid", "--host", "bad host name", "--out", zip], TestContext.CancellationToken);

        Assert.AreEqual(1, result.ExitCode, result.Output);
        Assert.Contains("--app-id (or TEAMS_APP_ID) must be a GUID", result.Output);
        Assert.Contains("--bot-id (or BOT_ID / Bot__AppId) is required", result.Output);
        Assert.Contains("--host must be a host name", result.Output);
        Assert.IsFalse(File.Exists(zip));
    }

    private static async Task<IReadOnlyList<BotCommand>> RegisteredCommandsAsync()
    {
        string storage = (await SharedAzurite.GetAsync()).ConnectionString;
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:ConnectionString", storage);
            b.UseSetting("Outbox:Enabled", "false");
            b.UseSetting("Graph:LocalInviteFolder", Path.Combine(Path.GetTempPath(), "postmortem-invites-" + Guid.NewGuid().ToString("N")));
        });
        return app.Services.GetRequiredService<CommandRouter>().Commands;
    }
}
