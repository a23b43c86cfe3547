using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;

namespace Postmortems.Bot.Tests.Protocol;

[TestClass]
public sealed class CommandRouterTests
{
    private static readonly BotCommand AddEntry = new("entry", "entry", "Add a timeline entry.", (_, _) => Task.FromResult<IReadOnlyList<Activity>>([]))
    {
        Aliases = ["add entry"],
    };

    private static readonly BotCommand New = new("new", "new <title>", "Start a postmortem.", (_, _) => Task.FromResult<IReadOnlyList<Activity>>([]))
    {
        Aliases = ["start"],
    };

    [TestMethod]
    public void MentionOfTheBotIsStrippedAndOtherMentionsKeepTheName()
    {
        var activity = new Activity
        {
            Text = "<at>Blameless Postmortems</at> new Checkout outage, paged <at>Megan Bowen</at>",
            Recipient = new ChannelAccount { Id = "28:bot" },
            Entities = [new Entity { Type = "mention", Text = "<at>Blameless Postmortems</at>", Mentioned = new ChannelAccount { Id = "28:bot" } }],
        };

        Assert.AreEqual("new Checkout outage, paged Megan Bowen", CommandRouter.StripMentions(activity));
    }

    [TestMethod]
    [DataRow("NEW Checkout outage", "new", "Checkout outage")]
    [DataRow("start  Checkout   outage", "new", "Checkout outage")]
    [DataRow("Add Entry", "entry", "")]
    [DataRow("add entry now", "entry", "now")]
    [DataRow("Help", "help", "")]
    public void CommandsAndAliasesMatchCaseInsensitively(string text, string command, string arguments)
    {
        var router = new CommandRouter([AddEntry, New]);

        var (match, args) = router.Match(text);

        Assert.AreEqual(command, match?.Name);
        Assert.AreEqual(arguments, args);
    }

    [TestMethod]
    public void AWordThatOnlyStartsLikeACommandIsNotOne()
    {
        var router = new CommandRouter([New]);

        Assert.IsNull(router.Match("newsletter please").Command);
    }

    [TestMethod]
    public async Task UnknownCommandGetsTheHelpCardWithAKindNote()
    {
        var router = new CommandRouter([New]);

        var replies = await router.RouteAsync(new Activity { Text = "frobnicate" }, "t1", CancellationToken.None);

        var card = (Postmortems.Bot.Cards.AdaptiveCard)replies.Single().Attachments!.Single().Content!;
        var intro = card.Body.OfType<Postmortems.Bot.Cards.TextBlock>().Select(t => t.Text).ToList();
        CollectionAssert.Contains(intro, "Sorry, I don't know “frobnicate”. Here is what I can do.");
    }

    [TestMethod]
    public void HelpListsEveryCommand()
    {
        var router = new CommandRouter([AddEntry, New]);

        var card = Postmortems.Bot.Cards.HelpCard.Build(router.Commands);
        var facts = card.Body.OfType<Postmortems.Bot.Cards.FactSet>().Single().Facts.Select(f => f.Title).ToArray();

        CollectionAssert.AreEqual(new[] { "entry", "new <title>", "help" }, facts);
    }
}
