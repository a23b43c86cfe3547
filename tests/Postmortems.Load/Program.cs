using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Load;
using Postmortems.Testing;

// The load tool (tests/Postmortems.Load/BENCHMARKS.md). It starts its own Azurite, local token issuers and the app (as built in
// this configuration, Production settings), seeds a tenant, then measures over real HTTP:
//   1. card submissions: signed Action.Execute invokes that save a timeline entry; commands: signed messages ("entry")
//      answered through a local Bot Connector stand-in, with the bot's token from a local managed identity endpoint;
//   2. the tab's GET /api/me/actions (its first page, --page-size actions) with 10,000 actions in the tenant, with Teams
//      SSO tokens of as many owners as users (or all of the measured user with --tab-single-owner; --user-actions sets
//      how many actions that user owns), and the same partition query made straight to storage (what a first or
//      changed list costs);
//   3. bare Table Storage upserts at the same concurrency: the ceiling of this machine;
//   4. the blameless-language and non-action checks on crafted text (a 10,000-letter word, 100 KB pastes), one at a
//      time and 8 at once, in this process (TextChecks): with --only text, nothing else is started.
// Usage: dotnet run -c Release --project tests/Postmortems.Load -- [--users 32] [--seconds 20] [--actions 10000]
//        [--user-actions 100] [--page-size 50] [--tab-single-owner] [--soak-minutes 0] [--only card|command|tab|text]
//        [--text-rounds 20] [--warmup 15] [--app-setting Key=Value ...] [--out folder]
// E.g. "my actions" of one person who owns 10,000 actions, read by 8 workers:
//        -- --only tab --users 8 --actions 10000 --user-actions 10000 --tab-single-owner
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        Usage: dotnet run -c Release --project tests/Postmortems.Load -- [options]
          --users N            concurrent simulated users per scenario (32)
          --seconds N          measured seconds per scenario, after the warm-up (20)
          --warmup N           unmeasured seconds of load before each scenario (15)
          --actions N          actions seeded in the tenant (10000)
          --user-actions N     how many of them the measured user owns (actions / 100)
          --page-size N        the tab scenario's page size, GET /api/me/actions?pageSize=N (50)
          --tab-single-owner   every tab user reads the measured user's list (else one owner each)
          --only S             run only card, command, tab, text or learning (card, command and tab also run the ceiling;
                               learning: search and the overview at --postmortems 1000 with --actions-per-postmortem 20)
          --text-rounds N      rounds of the text checks on crafted text (20)
          --soak-minutes N     then submit cards for N minutes, sampling the app's memory (0)
          --app-setting K=V    a setting for the app (repeatable)
          --out FOLDER         where load.md and load.svg go (tests/Postmortems.Load/results)
        """);
    return;
}

var options = LoadOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;

if (options.Runs("text"))
{
    Console.WriteLine("Measuring the text checks on crafted text…");
    string textTable = TextChecks.Markdown(TextChecks.Run(options.TextRounds));
    Console.WriteLine();
    Console.WriteLine(textTable);
    Directory.CreateDirectory(options.OutputFolder);
    await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "text.md"), $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.TextRounds} rounds of {TextChecks.Inputs().Count} inputs per check\n\n{textTable}");
    Console.WriteLine($"Written to {options.OutputFolder}/text.md");
    if (options.Only == "text")
    {
        return;
    }
}

if (options.Only == "learning")
{
    // Search and the overview at 1,000 postmortems and 20,000 actions (--postmortems, --actions-per-postmortem).
    int learningPostmortems = args.SkipWhile(a => a != "--postmortems").Skip(1).Select(a => int.Parse(a, invariant)).FirstOrDefault(1000);
    int perPostmortem = args.SkipWhile(a => a != "--actions-per-postmortem").Skip(1).Select(a => int.Parse(a, invariant)).FirstOrDefault(20);
    await Learning.RunAsync(learningPostmortems, perPostmortem, Math.Min(options.Users, 8), options.Seconds, options.WarmUpSeconds, options.OutputFolder);
    return;
}

Console.WriteLine($"Load: {options.Users} users, {options.Seconds} s per scenario, {options.Actions} actions in the tenant.");

const string BotAppId = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
const string TabClientId = "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const string TenantId = "5e1a3c2b-0d4f-4e6a-9b8c-7d6e5f4a3b2c";
var user = new Person("0c1d2e3f-4a5b-4c6d-9e8f-7a6b5c4d3e2f", "Load User");

await using var azurite = await AzuriteServer.StartAsync();
await using var botIssuer = await LocalBotIssuer.StartAsync();
await using var entra = await LocalEntraIssuer.StartAsync();

// Commands are answered by posting to the Bot Connector with the bot's own token, as in Azure: a local stand-in for
// the Connector, and one for the App Service managed identity endpoint the app's credential asks for that token.
await using var connector = await RecordingHttpServer.StartAsync();
connector.SetDefault(System.Net.HttpStatusCode.OK, """{"id":"reply-1"}""");
await using var managedIdentity = await RecordingHttpServer.StartAsync();
managedIdentity.SetDefault(System.Net.HttpStatusCode.OK, new JsonObject
{
    ["access_token"] = "load-tool-connector-token",
    ["expires_on"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds().ToString(invariant),
    ["resource"] = "https://api.botframework.com",
    ["token_type"] = "Bearer",
    ["client_id"] = BotAppId,
}.ToJsonString());
string ServiceUrl = new Uri(connector.BaseUrl, "teams/").ToString();
var appSettings = new Dictionary<string, string?>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Storage:ConnectionString"] = azurite.ConnectionString,
    ["Bot:AppId"] = BotAppId,
    ["Bot:OpenIdMetadataUrl"] = botIssuer.MetadataUrl.ToString(),
    ["Auth:ClientId"] = TabClientId,
    ["Auth:MetadataAddress"] = entra.MetadataUrl.ToString(),
    ["IDENTITY_ENDPOINT"] = new Uri(managedIdentity.BaseUrl, "msi/token").ToString(),
    ["IDENTITY_HEADER"] = "load-tool",
    ["Postmortems:Reminders:Enabled"] = "false",
};
foreach (var (key, value) in options.AppSettings)
{
    appSettings[key] = value;
}

await using var app = await AppServer.StartAsync(appSettings);

Console.WriteLine("Seeding…");
var seeded = await Seed.RunAsync(azurite.ConnectionString, TenantId, user, options.Actions, options.UserActions);
Console.WriteLine($"Seeded {seeded.Actions} actions in {seeded.Postmortems} postmortems ({seeded.UserActions} owned by the measured user) in {seeded.Elapsed.TotalSeconds:0} s.");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = app.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
string botToken = botIssuer.CreateToken(BotAppId, ServiceUrl);
// Each simulated tab user is a different seeded owner (about 100 actions each), so every list is read and remembered
// on its own; the measured user is the first.
// With --tab-single-owner, every simulated user is the measured user (one long list read from several devices at once).
string[] tabTokens = [.. Enumerable.Range(0, options.Users).Select(i => i == 0 || options.TabSingleOwner ? user : Seed.OwnerNumber(1 + (i % 99))).Select(p => entra.CreateToken(TabClientId, TenantId, p.ObjectId, p.DisplayName))];
string myActionsPath = "api/me/actions?pageSize=" + options.PageSize.ToString(invariant);

// An activity as Teams sends it, from simulated user n / 1,000,000: each a different person, as in a real chat, with
// their own "29:" id and Entra object id.
JsonObject Activity(string type, int n, string conversationId) => new()
{
    ["type"] = type,
    ["id"] = Guid.NewGuid().ToString("N"),
    ["channelId"] = "msteams",
    ["serviceUrl"] = ServiceUrl,
    ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", invariant),
    ["localTimezone"] = "Europe/Paris",
    ["from"] = new JsonObject { ["id"] = "29:load-" + (n / 1_000_000), ["name"] = "Load user " + (n / 1_000_000), ["aadObjectId"] = LoadUserObjectId(n / 1_000_000) },
    ["recipient"] = new JsonObject { ["id"] = "28:" + BotAppId, ["name"] = "Blameless Postmortems" },
    ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "groupChat", ["tenantId"] = TenantId },
    ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
};

async Task<HttpResponseMessage> PostActivityAsync(JsonObject activity)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages") { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", botToken);
    return await http.SendAsync(request);
}

async Task<bool> SubmitCardAsync(int n)
{
    var activity = Activity("invoke", n, "19:load@thread.v2");
    activity["name"] = "adaptiveCard/action";
    activity["value"] = new JsonObject
    {
        ["action"] = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["verb"] = "entry.save",
            ["data"] = new JsonObject
            {
                ["postmortemId"] = seeded.CardPostmortemId,
                ["cardId"] = Guid.NewGuid().ToString("N"),
                ["occurredDate"] = "2026-11-20",
                ["occurredTime"] = (n % 1440 / 60).ToString("00", invariant) + ":" + (n % 60).ToString("00", invariant),
                ["timeZone"] = "Europe/Paris",
                ["actor"] = "On-call engineer",
                ["description"] = "Rolled back config 4711 after the error rate alert fired.",
                ["outcome"] = "Errors fell within 5 minutes.",
                ["expectations"] = "The rollback would take effect within a minute.",
                ["assumptions"] = "Config changes go through the canary like code does.",
            },
        },
        ["trigger"] = "manual",
    };
    using var response = await PostActivityAsync(activity);
    string body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode && body.Contains("\"statusCode\":200", StringComparison.Ordinal);
}

// A command typed in a chat with a postmortem: "entry" reads the chat's postmortem and posts the timeline form back
// through the Connector, all before the activity is answered. Teams lets a bot post about 2 messages a second into one
// chat (the app's ConnectorRateLimiter keeps to it), so the commands go round 1,000 chats, as many people in many
// incidents would send them, and the limit is not what is measured.
const int CommandChats = 1_000;
static string CommandChat(int i) => $"19:load-commands-{i}@thread.v2";
int nextCommandChat = 0;
async Task<bool> SendCommandAsync(int n)
{
    var activity = Activity("message", n, CommandChat(Interlocked.Increment(ref nextCommandChat) % CommandChats));
    activity["text"] = "entry";
    using var response = await PostActivityAsync(activity);
    return response.IsSuccessStatusCode;
}

static string LoadUserObjectId(int user) => $"0c1d2e3f-4a5b-4c6d-9e8f-{user:000000000000}";

async Task<bool> MyActionsAsync(int n)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, myActionsPath);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tabTokens[n / 1_000_000]);
    using var response = await http.SendAsync(request);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

// The measured user's first page once, before the scenario: its size must not grow with what they own.
async Task<string> DescribeFirstPageAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Get, myActionsPath);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tabTokens[0]);
    using var response = await http.SendAsync(request);
    byte[] body = await response.Content.ReadAsByteArrayAsync();
    response.EnsureSuccessStatusCode();
    using var page = System.Text.Json.JsonDocument.Parse(body);
    bool more = page.RootElement.GetProperty("continuationToken").ValueKind == System.Text.Json.JsonValueKind.String;
    return $"GET /{myActionsPath} for the measured user ({seeded.UserActions} actions): {body.Length:N0} bytes, {page.RootElement.GetProperty("items").GetArrayLength()} actions{(more ? ", more to follow" : string.Empty)}.";
}

var ceilingTable = new TableServiceClient(azurite.ConnectionString).GetTableClient("LoadCeiling");
await ceilingTable.CreateIfNotExistsAsync();
string payload = new('x', 900);
async Task<bool> BareUpsertAsync(int n)
{
    await ceilingTable.UpsertEntityAsync(new TableEntity("tenant|postmortem", Guid.NewGuid().ToString("N")) { ["Text"] = payload, ["At"] = DateTimeOffset.UtcNow });
    return true;
}

// The warm-up must outlast the JIT's tiering: for about 20 s after the app first takes load, the runtime recompiles
// hot methods at higher tiers, and perf showed 21 % of the app's CPU in libclrjit 4 s into a run and none after 30 s.
// Measured from a 3 s warm-up, that start-up cost was the card submissions' p99 tail; --warmup 3 shows it again.
var warmUp = TimeSpan.FromSeconds(options.WarmUpSeconds);
var measure = TimeSpan.FromSeconds(options.Seconds);
var results = new List<ScenarioResult>();
string? firstPage = null;
if (options.Runs("command"))
{
    Console.WriteLine($"Starting a postmortem in each of {CommandChats} chats…");
    await Parallel.ForEachAsync(Enumerable.Range(0, CommandChats), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
    {
        var start = Activity("message", 0, CommandChat(i));
        start["text"] = "new Load: commands " + i;
        using var started = await PostActivityAsync(start);
        if (!started.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not start the postmortem of chat {i}: {(int)started.StatusCode}");
        }
    });
}

foreach (var (scenario, name, request) in new (string, string, Func<int, Task<bool>>)[]
{
    ("card", "card submission", SubmitCardAsync),
    ("command", "command (entry)", SendCommandAsync),
    ("tab", "GET /api/me/actions", MyActionsAsync),
})
{
    if (!options.Runs(scenario))
    {
        continue;
    }

    if (scenario == "tab")
    {
        firstPage = await DescribeFirstPageAsync();
        Console.WriteLine(firstPage);
    }

    Console.WriteLine($"Measuring {name}…");
    int repliesBefore = connector.Requests.Count;
    var result = await LoadRun.RunAsync(name, options.Users, warmUp, measure, request);
    results.Add(result);
    if (scenario == "command")
    {
        // Every answered command posted its form to the Connector (warm-up ones too): the reply path really ran.
        int replies = connector.Requests.Count - repliesBefore;
        Console.WriteLine($"  {replies} replies reached the Connector for {result.LatenciesMs.Count} measured commands (and the warm-up's).");
        if (replies < result.LatenciesMs.Count)
        {
            throw new InvalidOperationException("Commands were answered without their reply reaching the Connector.");
        }
    }
}

// The same one-partition query the tab's /api/me/actions makes, straight to storage: what the store itself allows
// (Azurite keeps tables unindexed in memory, so its partition queries scan the whole table; Azure's do not).
var index = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.ActionsByOwner);
string userPartition = PartitionKeys.ForOwner(TenantId, user.ObjectId);
async Task<bool> BareIndexQueryAsync(int n)
{
    int rows = 0;
    await foreach (var _ in index.QueryAsync<TableEntity>(e => e.PartitionKey == userPartition))
    {
        rows++;
    }

    return rows > 0;
}

if (options.Runs("tab"))
{
    Console.WriteLine("Measuring the bare my-actions partition query…");
    results.Add(await LoadRun.RunAsync("bare my-actions query", options.Users, warmUp, measure, BareIndexQueryAsync));
}

Console.WriteLine("Measuring bare Table Storage upserts…");
var ceiling = await LoadRun.RunAsync("bare upsert (ceiling)", options.Users, warmUp, measure, BareUpsertAsync);

string table = Report.Markdown(results, ceiling);
Console.WriteLine();
Console.WriteLine(table);
Directory.CreateDirectory(options.OutputFolder);
string seededLine = $"{seeded.Actions} actions seeded, {seeded.UserActions} owned by the measured user" + (options.Runs("tab") ? $"; tab: first page of {options.PageSize}, {(options.TabSingleOwner ? "every user reads the measured user's list" : "one owner per user")}" : string.Empty);
await File.WriteAllTextAsync(
    Path.Combine(options.OutputFolder, "load.md"),
    $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.Users} users, {options.Seconds} s each; {seededLine}\n\n{table}" + (firstPage is null ? string.Empty : $"\n{firstPage}\n"));
await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "load.svg"), Report.Svg([.. results, ceiling]));
Console.WriteLine($"Written to {options.OutputFolder}/load.md and load.svg");

if (options.SoakMinutes > 0)
{
    Console.WriteLine($"Soak: card submissions for {options.SoakMinutes} minutes, sampling the app's memory every 10 s…");
    var samples = await Soak.RunAsync(app.ProcessId, options.Users, TimeSpan.FromMinutes(options.SoakMinutes), SubmitCardAsync);
    string soak = Soak.Describe(samples);
    Console.WriteLine(soak);
    await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "soak.md"), soak);
}

/// <summary>Command-line options.</summary>
internal sealed record LoadOptions(
    int Users,
    int Seconds,
    int Actions,
    int? UserActions,
    int PageSize,
    bool TabSingleOwner,
    int SoakMinutes,
    string OutputFolder,
    string? Only,
    IReadOnlyDictionary<string, string?> AppSettings,
    int TextRounds,
    int WarmUpSeconds)
{
    public static LoadOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;
        }

        string? Text(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        // --app-setting Key=Value (repeatable): a setting or environment variable for the app, to compare tunings.
        var appSettings = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--app-setting" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                appSettings[key] = value;
            }
        }

        string output = Text("--out") ?? Path.Combine(RepositoryRoot.Path, "tests", "Postmortems.Load", "results");
        int actions = Value("--actions", 10_000);
        int? userActions = Text("--user-actions") is null ? null : Math.Clamp(Value("--user-actions", 0), 0, actions);
        return new LoadOptions(
            Value("--users", 32),
            Value("--seconds", 20),
            actions,
            userActions,
            Value("--page-size", 50),
            args.Contains("--tab-single-owner"),
            Value("--soak-minutes", 0),
            output,
            Text("--only"),
            appSettings,
            Value("--text-rounds", 20),
            Value("--warmup", 15));
    }

    /// <summary>With --only card, command, tab or text, the other scenarios (and the tab's bare query) are skipped.</summary>
    public bool Runs(string scenario) => Only is null || Only == scenario;
}
