using Postmortems.Core.Language;

namespace Postmortems.Core.Tests.Rules;

[TestClass]
public sealed class BlamelessLanguageTests
{
    [TestMethod]
    [DataRow("The on-call engineer should have rolled back sooner.", "should have")]
    [DataRow("A careless change to the config.", "careless")]
    [DataRow("Root cause: human error.", "human error")]
    [DataRow("It was his fault.", "his fault")]
    [DataRow("She failed to restart the service.", "She failed to")]
    [DataRow("The fix was obviously wrong.", "obviously")]
    [DataRow("A sloppy review let it through.", "sloppy")]
    public void BlamingWordingGetsANeutralSuggestion(string text, string phrase)
    {
        var suggestion = BlamelessLanguage.Check("description", text).Single();

        Assert.AreEqual("description", suggestion.Field);
        Assert.AreEqual(phrase, suggestion.Phrase, ignoreCase: true);
        Assert.IsFalse(string.IsNullOrWhiteSpace(suggestion.Suggestion));
    }

    [TestMethod]
    public void FailedToIsFlaggedForAKnownPersonButNotForASystem()
    {
        var people = new[] { "Alex Wilber" };

        Assert.HasCount(1, BlamelessLanguage.Check("outcome", "Alex failed to page the database team.", people));
        Assert.IsEmpty(BlamelessLanguage.Check("outcome", "The deploy failed to start.", people));
    }

    [TestMethod]
    [DataRow("Rolled out config change 4711; error rate rose to 12%.")]
    [DataRow("We run blameless postmortems.")]
    [DataRow("")]
    [DataRow(null)]
    public void NeutralTextGetsNoSuggestion(string? text)
    {
        Assert.IsEmpty(BlamelessLanguage.Check("summary", text));
    }

    [TestMethod]
    public void SeveralFieldsAreCheckedAndEachSuggestionNamesItsField()
    {
        var suggestions = BlamelessLanguage.Check(new Dictionary<string, string?>
        {
            ["outcome"] = "Human error.",
            ["expectations"] = "He should've known.",
            ["assumptions"] = null,
        });

        CollectionAssert.AreEquivalent(new[] { "outcome", "expectations" }, suggestions.Select(s => s.Field).ToArray());
    }
}
