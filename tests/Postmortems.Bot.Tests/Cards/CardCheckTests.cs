using System.Text.Json;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Cards;

[TestClass]
[TestCategory("Integration")]
public sealed class CardCheckTests
{
    private static readonly Func<CommandContext, CancellationToken, Task<IReadOnlyList<Activity>>> NoReply =
        (_, _) => Task.FromResult<IReadOnlyList<Activity>>([]);

    private static readonly BotCommand[] Commands =
    [
        new("new", "new <title>", "Start a postmortem for an incident.", NoReply) { Aliases = ["start"] },
        new("entry", "entry <text>", "Add what happened, or what someone knew at the time, to the timeline.", NoReply),
        new("actions", "actions", "List the follow-up actions and who owns them.", NoReply),
    ];

    [TestMethod]
    public async Task HelpCardPassesTheOfficialCheckWithoutErrorsOrWarnings()
    {
        var router = new CommandRouter(Commands);

        await CardAssert.PassesOfficialCheckAsync(
            HelpCard.Build(router.Commands),
            HelpCard.Build(router.Commands, "Sorry, I don't know “frobnicate”. Here is what I can do."));
    }

    [TestMethod]
    public async Task HelpCardIsWellUnderTheSizeLimit()
    {
        string json = JsonSerializer.Serialize(HelpCard.Build(new CommandRouter(Commands).Commands), ProtocolJson.Options);

        var result = (await AdaptiveCardChecker.CheckAsync([json])).Single();

        Assert.IsFalse(result.IsOverSizeLimit);
        Assert.IsLessThan(AdaptiveCardChecker.MaxCardBytes / 4, result.Bytes);
    }

    [TestMethod]
    public async Task UnknownElementTypeIsAnError()
    {
        var result = await CheckOneAsync("""{ "type": "AdaptiveCard", "version": "1.5", "body": [{ "type": "TextBlok", "text": "Hi" }] }""");

        AssertReported(result.Errors, "Unknown element type", "TextBlok");
    }

    [TestMethod]
    [DataRow("""{ "type": "TextBlock", "txt": "Hi" }""", "txt")]
    [DataRow("""{ "type": "Input.Text", "id": "summary", "label": "Summary", "isMultline": true }""", "isMultline")]
    [DataRow("""{ "type": "FactSet", "facts": [{ "title": "Owner", "vaule": "Megan" }] }""", "vaule")]
    public async Task MisspelledPropertyIsReported(string element, string property)
    {
        var result = await CheckOneAsync($$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [{{element}}] }""");

        Assert.IsEmpty(result.Errors, string.Join("\n", result.Errors));
        AssertReported(result.Warnings, "unknown property", $"\"{property}\"", "$.body[0]");
    }

    [TestMethod]
    [DataRow("9.9")]
    [DataRow("1.6")]
    public async Task VersionTeamsDoesNotRenderIsAnError(string version)
    {
        var result = await CheckOneAsync($$"""{ "type": "AdaptiveCard", "version": "{{version}}", "body": [{ "type": "TextBlock", "text": "Hi" }] }""");

        AssertReported(result.Errors, "version", version, "not supported");
    }

    [TestMethod]
    public async Task InputWithoutIdIsAnError()
    {
        var result = await CheckOneAsync("""{ "type": "AdaptiveCard", "version": "1.5", "body": [{ "type": "Input.Text", "label": "Summary" }] }""");

        AssertReported(result.Errors, "Input.Text", "must have a unique Id");
    }

    [TestMethod]
    public async Task DuplicateIdIsAnError()
    {
        var result = await CheckOneAsync("""
            { "type": "AdaptiveCard", "version": "1.5", "body": [
              { "type": "Input.Text", "id": "summary", "label": "Summary" },
              { "type": "Input.Text", "id": "summary", "label": "Details" }
            ] }
            """);

        AssertReported(result.Errors, "Duplicate Id", "summary");
    }

    [TestMethod]
    public async Task PropertyNewerThanTheDeclaredVersionIsAWarning()
    {
        var result = await CheckOneAsync("""{ "type": "AdaptiveCard", "version": "1.2", "body": [{ "type": "TextBlock", "text": "Hi", "style": "heading" }] }""");

        AssertReported(result.Warnings, "\"style\"", "1.5", "1.2");
    }

    [TestMethod]
    public async Task ProblemsAreReportedForTheirOwnCardInABatch()
    {
        string good = JsonSerializer.Serialize(HelpCard.Build(Commands), ProtocolJson.Options);
        string bad = """{ "type": "AdaptiveCard", "version": "1.5", "body": [{ "type": "Carousel", "pages": [] }] }""";

        var results = await AdaptiveCardChecker.CheckAsync([good, bad, good]);

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, results.Select(r => r.Index).ToArray());
        Assert.IsTrue(results[0].Passed && results[2].Passed, string.Join("\n", results[0].Errors.Concat(results[0].Warnings)));
        AssertReported(results[1].Errors, "Carousel");
    }

    [TestMethod]
    public async Task CardOverTheSizeLimitIsReported()
    {
        var card = LargeCard();

        var result = (await AdaptiveCardChecker.CheckAsync([JsonSerializer.Serialize(card, ProtocolJson.Options)])).Single();

        Assert.IsTrue(result.IsOverSizeLimit);
        Assert.IsGreaterThan(AdaptiveCardChecker.MaxCardBytes, result.Bytes);
        Assert.HasCount(1, result.Errors, "the card is valid apart from its size: " + string.Join("\n", result.Errors));
        AssertReported(result.Errors, "over the product's limit", AdaptiveCardChecker.MaxCardBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task CardAssertNamesTheFailingCardByIndexAndFirstText()
    {
        var exception = await Assert.ThrowsExactlyAsync<AssertFailedException>(
            () => CardAssert.PassesOfficialCheckAsync(HelpCard.Build(Commands), LargeCard()));

        Assert.Contains("1 of 2 card(s)", exception.Message);
        Assert.Contains("card 1 (\"Timeline of the checkout outage\"", exception.Message);
        Assert.Contains("error: The card is", exception.Message);
        Assert.DoesNotContain("card 0", exception.Message);
    }

    private static AdaptiveCard LargeCard() => new()
    {
        Body =
        [
            new TextBlock("Timeline of the checkout outage") { Weight = "bolder" },
            new FactSet(Enumerable.Range(1, 400)
                .Select(i => new Fact($"10:{i % 60:00}", $"Entry {i}: the on-call engineer looked at the payment dashboards again."))
                .ToList()),
        ],
    };

    private static async Task<CardCheckResult> CheckOneAsync(string json) => (await AdaptiveCardChecker.CheckAsync([json])).Single();

    private static void AssertReported(IReadOnlyList<string> problems, params string[] fragments)
    {
        Assert.IsNotEmpty(problems, "nothing was reported");
        Assert.IsTrue(
            problems.Any(p => fragments.All(f => p.Contains(f, StringComparison.OrdinalIgnoreCase))),
            $"no problem mentions all of [{string.Join(", ", fragments)}]; reported:\n{string.Join("\n", problems)}");
    }
}
