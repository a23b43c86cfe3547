using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Tests.Forms;

/// <summary>The one way a form card saves: what each outcome of a save answers.</summary>
[TestClass]
public sealed class FormSaveTests
{
    private sealed record Item(string Text, string? ETag);

    private static readonly FormValues Typed = new(new Dictionary<string, string?> { ["text"] = "What I typed" });

    private static readonly InvokeResponse Deleted = InvokeResponse.ActionError(404, "NotFound", "It was deleted.");

    private static FormSave<Item> Save(List<FormAgain<Item>> shownAgain) =>
        new(
            again =>
            {
                shownAgain.Add(again);
                return new AdaptiveCard { Body = [new TextBlock("form")] };
            },
            saved => new AdaptiveCard { Body = [new TextBlock("saved: " + saved.Text)] })
        {
            InputIdOf = field => field == "body" ? "text" : field,
            ConflictBanner = "Someone else changed it.",
            Deleted = Deleted,
        };

    private static string FirstText(InvokeResponse response) =>
        ((TextBlock)((AdaptiveCard)((AdaptiveCardInvokeResponse)response.Body!).Value).Body[0]).Text;

    [TestMethod]
    public async Task ErrorsFoundBeforeSavingKeepTheValuesAndNothingIsWritten()
    {
        var shown = new List<FormAgain<Item>>();
        bool wrote = false;

        await Save(shown).SaveAsync(Typed, [new FieldError("body", "Please add the text.")], () =>
        {
            wrote = true;
            return Task.FromResult(WriteResult<Item>.Saved(new Item("x", "1")));
        });

        Assert.IsFalse(wrote);
        var state = shown.Single().State;
        Assert.AreEqual("What I typed", state.Value("text"));
        Assert.AreEqual("Please add the text.", state.Error("text"), "Domain field names are mapped to the form's inputs.");
        Assert.AreEqual("Not saved yet: please check the notes below.", state.Banner);
    }

    [TestMethod]
    public async Task ASavedOrAlreadySavedItemShowsTheSavedCard()
    {
        var save = Save([]);

        Assert.AreEqual("saved: new", FirstText(await save.SaveAsync(Typed, [], () => Task.FromResult(WriteResult<Item>.Saved(new Item("new", "1"))))));
        Assert.AreEqual("saved: earlier", FirstText(await save.SaveAsync(Typed, [], () => Task.FromResult(WriteResult<Item>.AlreadyExists(new Item("earlier", "1"))))));
    }

    [TestMethod]
    public async Task AConflictKeepsTheValuesAndCarriesTheNewerVersion()
    {
        var shown = new List<FormAgain<Item>>();

        await Save(shown).SaveAsync(Typed, [], () => Task.FromResult(WriteResult<Item>.Conflict(new Item("theirs", "2"))));

        var again = shown.Single();
        Assert.AreEqual("Someone else changed it.", again.State.Banner);
        Assert.AreEqual("2", again.Newer?.ETag);
        Assert.AreEqual("What I typed", again.State.Value("text"));
    }

    [TestMethod]
    public async Task AnItemDeletedMeanwhileSaysSo()
    {
        var answer = await Save([]).SaveAsync(Typed, [], () => Task.FromResult(WriteResult<Item>.NotFound()));

        Assert.AreSame(Deleted, answer);
    }

    [TestMethod]
    public async Task StorageDownBeforeAnythingWasSavedSaysNotSavedAndKeepsTheValues()
    {
        var shown = new List<FormAgain<Item>>();

        await Save(shown).SaveAsync(Typed, [], () => throw new StorageUnavailableException());

        var again = shown.Single();
        Assert.IsTrue(again.StorageIsDown);
        Assert.AreEqual(FormCards.StorageDownBanner, again.State.Banner);
        Assert.AreEqual("What I typed", again.State.Value("text"));
    }

    [TestMethod]
    public async Task StorageDownAfterTheItemWasSavedIsNotAnsweredNotSaved()
    {
        using var request = StorageRequest.Start(TimeSpan.FromMinutes(1), CancellationToken.None);
        StorageRequest.MarkSaved();

        await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => Save([]).SaveAsync(Typed, [], () => throw new StorageUnavailableException()));
    }
}
