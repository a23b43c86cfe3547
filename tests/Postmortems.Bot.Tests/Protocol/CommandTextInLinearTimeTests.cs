using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Protocol;

/// <summary>
/// Reading a message (stripping &lt;at&gt; mentions, folding whitespace, finding the command) finishes with the right
/// answer on text crafted against it: tags that never close, a 100 KB run of whitespace, 8 such messages at once.
/// No clock is read here; the load tool times the text checks.
/// </summary>
[TestClass]
public sealed class CommandTextInLinearTimeTests
{
    private static readonly BotCommand New = new("new", "new <title>", "Start a postmortem.", (_, _) => Task.FromResult<IReadOnlyList<Activity>>([]));

    [TestMethod]
    public void AHundredKilobytesOfMentionTagsThatNeverCloseAreKeptAsTyped()
    {
        string paste = AdversarialText.Repeat("<at>");

        Assert.AreEqual(paste, CommandRouter.StripMentions(Message(paste)));
    }

    [TestMethod]
    public void AHundredKilobytesOfClosedMentionsKeepEveryName()
    {
        string paste = AdversarialText.Repeat("<at>a</at>");

        Assert.AreEqual(new string('a', AdversarialText.Repetitions("<at>a</at>")), CommandRouter.StripMentions(Message(paste)));
    }

    [TestMethod]
    public void ATenThousandLetterWordInAnOpenMentionIsKeptAsTyped()
    {
        string text = "<at>" + AdversarialText.LongWord + " help";

        Assert.AreEqual(text, CommandRouter.StripMentions(Message(text)));
    }

    [TestMethod]
    public void AHundredKilobytesOfWhitespaceBeforeACommandStillFindsIt()
    {
        var router = new CommandRouter([New]);
        string text = CommandRouter.StripMentions(Message(AdversarialText.Repeat(" \t") + "new  Checkout" + AdversarialText.Repeat("\t ") + "outage"));

        var (command, arguments) = router.Match(text);

        Assert.AreEqual("new", command?.Name);
        Assert.AreEqual("Checkout outage", arguments);
    }

    [TestMethod]
    public async Task EightCraftedMessagesReadAtOnceAllGiveTheRightAnswer()
    {
        string[] fragments = ["<at>", "<at>a</at>", " \t", "<at><at></at>", "@", "a-", "<at>\n", "</at>"];
        string[] expected = [.. fragments.Select(f => f switch
        {
            "<at>a</at>" => new string('a', AdversarialText.Repetitions(f)),
            "<at><at></at>" => string.Concat(Enumerable.Repeat("<at>", AdversarialText.Repetitions(f))),
            " \t" => string.Empty,
            "<at>\n" => string.Join(' ', Enumerable.Repeat("<at>", AdversarialText.Repetitions(f))),
            _ => AdversarialText.Repeat(f),
        })];
        using var start = new ManualResetEventSlim();
        var reads = fragments.Select(fragment => Task.Run(() =>
        {
            var message = Message(AdversarialText.Repeat(fragment));
            start.Wait();
            return CommandRouter.StripMentions(message);
        })).ToArray();
        start.Set();

        string[] results = await Task.WhenAll(reads);

        for (int i = 0; i < fragments.Length; i++)
        {
            Assert.AreEqual(expected[i], results[i], $"“{Shown(fragments[i])}” repeated");
        }

        static string Shown(string fragment) => fragment.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
    }

    private static Activity Message(string text) => new() { Text = text, Recipient = new ChannelAccount { Id = "28:bot" } };
}
