using Postmortems.Bot.Actions;
using Postmortems.Bot.Analysis;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Lifecycle;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Actions;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Cards;

/// <summary>Every card of the analysis at its largest, checked by the official Adaptive Cards library and kept under the size limit.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AnalysisCardsCheckTests
{
    private static string Long(int length) => string.Concat(Enumerable.Repeat("[x](y) *", (length / 8) + 1))[..length];

    [TestMethod]
    public async Task EveryAnalysisCardPassesTheOfficialCheckAtItsLargest()
    {
        var now = DateTimeOffset.UtcNow;
        var postmortem = TestData.Postmortem() with { Title = Long(TextLimits.Title), Summary = Long(TextLimits.LongText), CustomerImpact = Long(TextLimits.LongText) };
        var entries = Enumerable.Range(0, 60).Select(i => TestData.TimelineEntry(postmortem.Id) with
        {
            Id = $"e{i}", OccurredAt = now.AddMinutes(i), Actor = Long(TextLimits.Name), Description = Long(TextLimits.LongText),
        }).ToList();
        var factors = Enumerable.Range(0, 40).Select(i => new ContributingFactor
        {
            Id = $"f{i}", PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = now.AddMinutes(i), Text = Long(TextLimits.LongText),
            Category = (FactorCategory)(i % 8), EntryIds = [.. entries.Take(TextLimits.FactorEntries).Select(e => e.Id)],
            Decision = i % 3 == 0 ? FactorDecision.AcceptedRisk : FactorDecision.Open, RiskReason = i % 3 == 0 ? Long(TextLimits.LongText) : null,
        }).ToList();
        var actions = Enumerable.Range(0, 30).Select(i => TestData.Action(postmortem.Id) with
        {
            Id = $"a{i}", Title = Long(TextLimits.ActionTitle), Owner = null, DueDate = null, FactorIds = [.. factors.Take(TextLimits.FactorsPerAction).Select(f => f.Id)],
        }).ToList();
        var members = Enumerable.Range(0, 80).Select(i => new Person(Guid.NewGuid().ToString(), new string('N', TextLimits.Name))).ToList();
        var notes = Enumerable.Range(0, 40).Select(i => new NoteLine(new Person($"p{i}", new string('M', TextLimits.Name)), Long(AnalysisNoteRules.MaxLength), now.AddMinutes(i))).ToList();
        var document = new PostmortemDocument(postmortem, entries, [], actions, [], factors, [])
        {
            WentWell = [.. notes.Select((n, i) => new WentWell { Id = $"g{i}", PostmortemId = postmortem.Id, Author = n.Author, CreatedAt = n.CreatedAt, Text = n.Text })],
            Lucky = [.. notes.Select((n, i) => new LuckyBreak { Id = $"l{i}", PostmortemId = postmortem.Id, Author = n.Author, CreatedAt = n.CreatedAt, Text = n.Text })],
        };
        var errors = FormState.WithErrors(
            new FormValues(new Dictionary<string, string?> { ["text"] = Long(TextLimits.LongText), ["entries"] = string.Join(",", entries.Select(e => e.Id)), ["riskReason"] = Long(TextLimits.LongText) }),
            [new FieldError("entries", FactorRules.ForeignEntryMessage), new FieldError("category", "Please choose a category from the list."), new FieldError("riskReason", "Please add the reason.")],
            banner: "Not saved. " + FactorRules.ForeignEntryMessage);
        var suggestions = FactorWording.Check("text", "Sam forgot the flag, he should have known; human error. " + Long(500));

        await CardAssert.PassesOfficialCheckAsync(
            FactorCards.Form(postmortem, FormState.Empty, Ids.NewItemId(), entries),
            FactorCards.Form(postmortem, errors, Ids.NewItemId(), entries),
            FactorCards.Form(postmortem, FormState.Empty, Ids.NewItemId(), []),
            FactorCards.Saved(postmortem, factors[0], entries, suggestions),
            FactorCards.Form(postmortem, FactorCards.StateOf(factors[0]), Ids.NewItemId(), entries, factors[0].Id, "W/\"etag\""),
            FactorCards.Saved(postmortem, factors[0] with { EditedBy = TestData.Alex }, entries, suggestions, updated: true),
            NoteCards.Form(NoteList.WentWell, postmortem, FormState.Empty, Ids.NewItemId(), notes),
            NoteCards.Form(NoteList.Lucky, postmortem, FormState.From(new Dictionary<string, string?> { ["text"] = Long(AnalysisNoteRules.MaxLength) }), Ids.NewItemId(), notes, "l0", "W/\"etag\""),
            NoteCards.Saved(NoteList.Lucky, postmortem, notes),
            NoteCards.Saved(NoteList.WentWell, postmortem, notes, ("wentwell", document.WentWell[0]), updated: true),
            PostmortemCards.Status(document, DateOnly.FromDateTime(now.UtcDateTime), "Europe/Paris"),
            PostmortemCards.Welcome(postmortem, offerIncidentChannel: true),
            TimelineCards.Saved(postmortem, entries[0], suggestions),
            ActionCards.Form(postmortem, ActionCards.StateOf(actions[0]), Ids.NewItemId(), members, actions[0].Id, "W/\"etag\"", "idea-1", factors),
            ActionCards.Saved(postmortem, actions[0], suggestions, updated: false));
    }
}
