using Postmortems.Core.Language;

namespace Postmortems.Core.Tests.Analysis;

[TestClass]
public sealed class FactorWordingTests
{
    [TestMethod]
    public void APersonForgettingBecomesAQuestionAboutTheCondition()
    {
        var note = FactorWording.Check("text", "Sam forgot the flag").Single();

        Assert.AreEqual("Sam forgot", note.Phrase);
        StringAssert.Contains(note.Suggestion, "what made the flag easy to forget?");
    }

    [TestMethod]
    public void TheObjectStopsAtTheEndOfTheClause()
    {
        var note = FactorWording.Check("text", "Priya missed the alert, so the page went unanswered.", ["Priya Shah"]).Single();

        StringAssert.Contains(note.Suggestion, "what made the alert easy to miss?");
    }

    [TestMethod]
    public void ASlipVerbAboutTheSystemIsNotFlagged() =>
        Assert.IsEmpty(FactorWording.Check("text", "The health check missed the expired certificate because it only probed port 80."));

    [TestMethod]
    public void AConditionIsNotFlagged() =>
        Assert.IsEmpty(FactorWording.Check("text", "The flag had no default and nothing checked it before deploy."));

    [TestMethod]
    public void ForgotToIsNotedOnceNotTwice()
    {
        var notes = FactorWording.Check("text", "She forgot to set the flag");

        Assert.HasCount(1, notes);
        StringAssert.Contains(notes[0].Suggestion, "what made it easy to forget to set the flag?");
    }

    [TestMethod]
    public void TheUsualBlamelessNotesStillApply() =>
        Assert.IsTrue(FactorWording.Check("text", "Human error in the deploy script").Any(n => n.Phrase.Equals("Human error", StringComparison.OrdinalIgnoreCase)));

    [TestMethod]
    public void AHugePasteIsCheckedQuickly()
    {
        string text = string.Concat(Enumerable.Repeat("Sam forgot the flag ", 20_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var notes = FactorWording.Check("text", text);

        Assert.HasCount(20_000, notes);
        Assert.IsLessThan(TimeSpan.FromSeconds(20), watch.Elapsed);
    }
}
