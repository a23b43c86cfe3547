using Postmortems.Core.Actions;
using Postmortems.Core.Language;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Language;

/// <summary>
/// The blameless-language and non-action checks finish, with the right answer, on text crafted to make a
/// backtracking engine rescan it from every position. How fast they finish is the load tool's job (--only text); here
/// each case must simply complete and be right, so these tests never look at a clock.
/// </summary>
[TestClass]
public sealed class TextChecksInLinearTimeTests
{
    private static readonly string[] People = ["Alex Wilber", "Megan Bowen"];

    // For each fragment of AdversarialText: the phrase flagged on every repetition (null: nothing is flagged), and the
    // non-action found in the paste (null: none).
    private static readonly Dictionary<string, (string? Flagged, string? NonAction)> Expected = new(StringComparer.Ordinal)
    {
        ["should "] = (null, null),
        ["should have "] = ("should have", null),
        ["could've "] = ("could've", null),
        ["a-"] = (null, null),
        ["é'"] = (null, null),
        ["@"] = (null, null),
        ["@a"] = (null, null),
        ["<at>"] = (null, null),
        ["idiot"] = (null, null),
        ["human "] = (null, null),
        ["clearly "] = (null, null),
        ["Alex failed to "] = ("Alex failed to", null),
        ["the deploy failed to "] = (null, null),
        ["didn't "] = (null, null),
        ["be more "] = (null, null),
        ["pay closer "] = (null, null),
        ["do not make the same "] = (null, null),
        ["double-"] = (null, null),
        ["remember to "] = (null, "remember to"),
        ["be careful, add "] = (null, null),
        [" \t"] = (null, null),
    };

    public static IEnumerable<object[]> Fragments => AdversarialText.Fragments.Select(f => new object[] { f });

    [TestMethod]
    public void ASingleTenThousandLetterWordIsCheckedAndFlagsNothing()
    {
        string word = AdversarialText.LongWord;

        Assert.IsEmpty(BlamelessLanguage.Check("description", word, People));
        Assert.IsEmpty(BlamelessLanguage.Check("description", word + " failed to restart", People));
        Assert.IsEmpty(BlamelessLanguage.Check("description", new string('é', 10_000) + " forgot", People));
        Assert.IsNull(NonActionCheck.FindNonAction(word));
        Assert.IsNull(NonActionCheck.FindNonAction("be " + word));
    }

    [TestMethod]
    public void ATenThousandLetterMentionThatFailedToIsStillFlaggedWhole()
    {
        string phrase = "@" + AdversarialText.LongWord + " failed to";

        var suggestion = BlamelessLanguage.Check("outcome", phrase + " page the team.", People).Single();

        Assert.AreEqual(phrase, suggestion.Phrase);
    }

    [TestMethod]
    [DataRow("The on-call forgot to page the database team.", "on-call forgot to")]
    [DataRow("Oncall failed to ack the alert.", "Oncall failed to")]
    [DataRow("@megan didn't bother to check the dashboard.", "@megan didn't bother to")]
    [DataRow("Megan failed to roll back.", "Megan failed to")]
    [DataRow("MEGAN BOWEN failed to roll back.", null)]
    [DataRow("The cache failed to warm up.", null)]
    [DataRow("Meganx failed to roll back.", null)]
    public void APersonBeforeFailedToIsFlaggedAndASystemIsNot(string text, string? phrase)
    {
        var suggestions = BlamelessLanguage.Check("outcome", text, People);

        Assert.AreEqual(phrase, suggestions.SingleOrDefault()?.Phrase);
    }

    [TestMethod]
    [DynamicData(nameof(Fragments))]
    public void AHundredKilobytePasteOfOneFragmentIsCheckedWithTheRightAnswer(string fragment)
    {
        Assert.IsTrue(Expected.TryGetValue(fragment, out var expected), $"No expected answer for the fragment “{fragment}”: add one.");
        string paste = AdversarialText.Repeat(fragment);
        Assert.IsGreaterThanOrEqualTo(AdversarialText.PasteLength, paste.Length);

        AssertRightAnswer(fragment, expected, Check(paste));
    }

    [TestMethod]
    public async Task EightPastesCheckedAtOnceAllGiveTheRightAnswer()
    {
        string[] fragments = ["a-", "should have ", "Alex failed to ", "<at>", "be more ", "remember to ", "é'", "human "];
        using var start = new ManualResetEventSlim();
        var checks = fragments.Select(fragment => Task.Run(() =>
        {
            string paste = AdversarialText.Repeat(fragment);
            start.Wait();
            return (Fragment: fragment, Result: Check(paste), IssueTitle: NonActionCheck.FindNonAction("Add a schema check for checkout config"));
        })).ToArray();
        start.Set();

        foreach (var (fragment, result, issueTitle) in await Task.WhenAll(checks))
        {
            AssertRightAnswer(fragment, Expected[fragment], result);
            Assert.IsNull(issueTitle, "The ordinary action from the issue is a real action, even while other checks run.");
        }
    }

    [TestMethod]
    public void EveryFragmentTheLoadToolTimesHasAnExpectedAnswerHere()
    {
        CollectionAssert.AreEquivalent(Expected.Keys.ToArray(), AdversarialText.Fragments.ToArray());
    }

    private static (IReadOnlyList<LanguageSuggestion> Suggestions, string? NonAction) Check(string text) =>
        (BlamelessLanguage.Check("description", text, People), NonActionCheck.FindNonAction(text));

    private static void AssertRightAnswer(string fragment, (string? Flagged, string? NonAction) expected, (IReadOnlyList<LanguageSuggestion> Suggestions, string? NonAction) actual)
    {
        if (expected.Flagged is null)
        {
            Assert.IsEmpty(actual.Suggestions, $"“{fragment}” repeated: nothing to flag.");
        }
        else
        {
            Assert.HasCount(AdversarialText.Repetitions(fragment), actual.Suggestions, $"“{fragment}” repeated: one suggestion per repetition.");
            Assert.IsTrue(actual.Suggestions.All(s => s.Phrase == expected.Flagged), $"“{fragment}” repeated: each suggestion names “{expected.Flagged}”.");
        }

        Assert.AreEqual(expected.NonAction, actual.NonAction, $"“{fragment}” repeated: the non-action found.");
    }
}
