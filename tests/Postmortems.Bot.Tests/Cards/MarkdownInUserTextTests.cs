using System.Text.Json;
using System.Text.Json.Nodes;
using Postmortems.Bot.Actions;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Discussion;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Lifecycle;
using Postmortems.Bot.Meetings;
using Postmortems.Bot.Protocol;
using Postmortems.Bot.Reminders;
using Postmortems.Bot.Remediation;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Cards;

/// <summary>
/// Teams renders TextBlocks and Facts as Markdown, so text people type (and their names) must show literally there,
/// while input values carry it unchanged. Checked on the cards as the bot serializes them.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class MarkdownInUserTextTests
{
    private const string Hostile = "[x](https://evil.example) **bold** - item";
    private const string Link = "[x](https://evil.example)";
    private const string EscapedLink = @"\[x\]\(https://evil.example\)";
    private const string Escaped = @"\[x\]\(https://evil.example\) \*\*bold\*\* \- item";
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly Person Mallory = new("00000000-0000-0000-0000-0000000000066", Hostile);

    [TestMethod]
    public void MarkdownTypedInATimelineEntryShowsLiterallyInTheSavedCard()
    {
        var (postmortem, entry) = HostileEntry();

        var saved = TimelineCards.Saved(postmortem, entry, []);

        ShowsLiterally(saved, minimum: 8);
        CollectionAssert.Contains(Texts(saved).ToList(), Escaped, "the author's display name too");
    }

    [TestMethod]
    public void MarkdownTypedInATimelineEntryShowsLiterallyInTheList()
    {
        var (postmortem, entry) = HostileEntry();

        ShowsLiterally(TimelineCards.List(postmortem, [entry, entry], 0), minimum: 13);
    }

    [TestMethod]
    public void MarkdownTypedInATimelineEntryStaysAsTypedInTheEditForm()
    {
        var (postmortem, entry) = HostileEntry();

        var form = TimelineCards.Form(postmortem, TimelineCards.StateOf(entry), "card-1", "Europe/Paris", entry.Id);

        ShowsLiterally(form, minimum: 1);
        KeepsInputsAsTyped(form, "actor", "description", "outcome", "expectations", "assumptions", "signals");
    }

    [TestMethod]
    public void MarkdownInAWordingSuggestionShowsLiterally()
    {
        var (postmortem, entry) = HostileEntry();

        var saved = TimelineCards.Saved(postmortem, entry, [new LanguageSuggestion("description", Hostile, "Try describing what was expected.")]);

        CollectionAssert.Contains(Texts(saved).ToList(), $"“{Escaped}”: Try describing what was expected.");
        ShowsLiterally(saved, minimum: 9);
    }

    [TestMethod]
    public void MarkdownTypedInAnIdeaShowsLiterallyInTheSavedCard()
    {
        var postmortem = HostilePostmortem();
        var idea = new RemediationIdea { Id = "i1", PostmortemId = postmortem.Id, Author = Mallory, CreatedAt = DateTimeOffset.UtcNow, Category = RemediationCategory.Detect, Text = Hostile };

        ShowsLiterally(IdeaCards.Saved(postmortem, idea, []), minimum: 3);
    }

    [TestMethod]
    public void MarkdownTypedInAnActionShowsLiterallyInTheSavedCardAndTheList()
    {
        var postmortem = HostilePostmortem();
        var action = TestData.Action(postmortem.Id) with { Title = Hostile, Owner = Mallory };

        ShowsLiterally(ActionCards.Saved(postmortem, action, [], updated: false), minimum: 3);
        ShowsLiterally(ActionCards.List(postmortem, [action], 0, Today), minimum: 3);
    }

    [TestMethod]
    public void MarkdownTypedInAnActionStaysAsTypedInTheEditForm()
    {
        var postmortem = HostilePostmortem();
        var action = TestData.Action(postmortem.Id) with { Title = Hostile, Owner = Mallory };

        var form = ActionCards.Form(postmortem, ActionCards.StateOf(action), "card-1", [Mallory], action.Id);

        ShowsLiterally(form, minimum: 1);
        KeepsInputsAsTyped(form, "title");
        var owner = form.Body.OfType<InputChoiceSet>().Single(i => i.Id == "owner");
        Assert.AreEqual(Hostile, owner.Choices.Single().Title, "choice titles are not Markdown");
    }

    [TestMethod]
    public void MarkdownTypedInWhysAndTakeawaysShowsLiterally()
    {
        var postmortem = HostilePostmortem();
        var chain = new FiveWhys { Id = "w1", PostmortemId = postmortem.Id, Author = Mallory, CreatedAt = DateTimeOffset.UtcNow, Problem = Hostile, Whys = [Hostile, Hostile] };
        var takeaways = new[] { new Takeaway { Id = "t1", PostmortemId = postmortem.Id, Author = Mallory, CreatedAt = DateTimeOffset.UtcNow, Text = Hostile } };

        ShowsLiterally(DiscussionCards.WhysSaved(postmortem, chain, []), minimum: 4);
        ShowsLiterally(DiscussionCards.TakeawaySaved(postmortem, takeaways, takeaways[0]), minimum: 4);
    }

    [TestMethod]
    public void MarkdownInARemovedItemAndItsNamesShowsLiterallyOnTheRemoveAndUndoCards()
    {
        var postmortem = HostilePostmortem();
        var action = TestData.Action(postmortem.Id) with { Title = Hostile, Author = Mallory, Owner = Mallory, WorkItemLink = "https://tracker.example.com/x_(1)*" };

        ShowsLiterally(Postmortems.Bot.Items.ItemCards.Removed(postmortem, RemovableKinds.Action, action, new Core.Storage.ItemTombstone(Mallory, DateTimeOffset.UtcNow), "UTC"), minimum: 4);
        ShowsLiterally(Postmortems.Bot.Items.ItemCards.Restored(postmortem, RemovableKinds.Action, action), minimum: 3);
        var saved = Texts(ActionCards.Saved(postmortem, action, [], updated: false)).ToList();
        CollectionAssert.Contains(saved, @"https://tracker.example.com/x\_\(1\)\*", "the link is shown as text, escaped; the button opens it");
    }

    [TestMethod]
    public void MarkdownTypedInATakeawayStaysAsTypedInTheForm()
    {
        var postmortem = HostilePostmortem();
        var takeaways = new[] { new Takeaway { Id = "t1", PostmortemId = postmortem.Id, Author = Mallory, CreatedAt = DateTimeOffset.UtcNow, Text = Hostile } };
        var state = FormState.From(new Dictionary<string, string?> { ["text"] = Hostile });

        var form = DiscussionCards.TakeawayForm(postmortem, state, "card-1", takeaways);

        ShowsLiterally(form, minimum: 3);
        KeepsInputsAsTyped(form, "text");
    }

    [TestMethod]
    public void MarkdownTypedInAPostmortemShowsLiterallyInTheWelcomeStatusAndList()
    {
        var postmortem = HostilePostmortem();
        var document = new PostmortemDocument(postmortem, [], [], [], [], [], []);

        var welcome = ShowsLiterally(PostmortemCards.Welcome(postmortem), minimum: 2);
        var status = ShowsLiterally(PostmortemCards.Status(document, Today, "Europe/Paris"), minimum: 4);
        ShowsLiterally(PostmortemCards.List([postmortem], activeId: null), minimum: 2);

        CollectionAssert.Contains(welcome, $"Postmortem: {Escaped}");
        CollectionAssert.Contains(status, $"Customer impact: {Escaped}");
        Assert.IsTrue(welcome.Any(t => t.StartsWith("1. Write a short summary", StringComparison.Ordinal)), "the product's own numbered list keeps its Markdown");
    }

    [TestMethod]
    public void MarkdownTypedInTheSummaryStaysAsTypedInTheForm()
    {
        var postmortem = HostilePostmortem();

        var form = PostmortemCards.SummaryForm(postmortem, PostmortemCards.SummaryStateOf(postmortem, "Europe/Paris"), "Europe/Paris");

        ShowsLiterally(form, minimum: 1);
        KeepsInputsAsTyped(form, "summary", "customerImpact", "reportedBy");
    }

    [TestMethod]
    public void MarkdownInSubjectsAndNamesShowsLiterallyInTheMeetingCards()
    {
        var postmortem = HostilePostmortem();
        var preview = new MeetingCards.PreviewContext(postmortem, MeetingKind.Postmortem, "card-1", "Europe/Paris",
            new SlotProposal(DateTimeOffset.UtcNow.AddDays(1), "Europe/Paris", EveryoneFree: false, $"We couldn't see {Hostile}'s calendar, so they count as free."),
            Mallory, [Mallory], SendsInvites: true, Hostile, AlreadySent: null);
        var invite = new MeetingInvite
        {
            Kind = MeetingKind.Postmortem,
            TenantId = "t",
            PostmortemId = postmortem.Id,
            Subject = Hostile,
            Start = DateTimeOffset.UtcNow,
            DurationMinutes = 60,
            TimeZone = "Europe/Paris",
            Organizer = new Attendee(Mallory.ObjectId, Mallory.DisplayName),
            Attendees = [new Attendee(Mallory.ObjectId, Mallory.DisplayName)],
            TransactionId = "tx",
        };
        var sent = new MeetingSent(MeetingKind.Postmortem, Hostile, DateTimeOffset.UtcNow, 60, "Europe/Paris", "event-1", null, null, null, [Hostile, Hostile], Updated: false);

        var previewCard = MeetingCards.Preview(preview, FormState.From(new Dictionary<string, string?> { ["subject"] = Hostile }));
        var previewTexts = ShowsLiterally(previewCard, minimum: 3);
        ShowsLiterally(MeetingCards.Confirmed(postmortem, invite, sendsInvites: true), minimum: 3);
        var sentTexts = ShowsLiterally(MeetingCards.Sent(sent), minimum: 2);

        CollectionAssert.Contains(previewTexts, $"We couldn't see {Escaped}'s calendar, so they count as free.");
        CollectionAssert.Contains(sentTexts, $"I couldn't find an e-mail address for {Escaped}, {Escaped}. Please add them to the meeting in Outlook.");
        KeepsInputsAsTyped(previewCard, "subject");
    }

    [TestMethod]
    public void MarkdownTypedInAnActionShowsLiterallyInTheReminderAndTheDigest()
    {
        var action = TestData.Action("p1") with { Title = Hostile, Owner = Mallory };

        ShowsLiterally(ReminderCards.Reminder(action, Hostile, Today), minimum: 2);
        ShowsLiterally(ReminderCards.Digest(new FacilitatorDigest("f1", "weekly", "Europe/Paris", [new DigestLine("p1", Hostile, 1, 0, 0)])), minimum: 1);
    }

    [TestMethod]
    public async Task AnUnknownCommandTypedAsALinkShowsLiterallyInTheHelpCard()
    {
        var router = new CommandRouter([]);

        var replies = await router.RouteAsync(new Activity { Text = Link + " please" }, "t1", CancellationToken.None);

        var texts = ShowsLiterally((AdaptiveCard)replies.Single().Attachments!.Single().Content!, minimum: 1);
        CollectionAssert.Contains(texts, $"Sorry, I don't know “{EscapedLink}”. Here is what I can do.");
    }

    [TestMethod]
    public async Task CardsWithEscapedUserTextPassTheOfficialCheck()
    {
        var (postmortem, entry) = HostileEntry();
        var action = TestData.Action(postmortem.Id) with { Title = Hostile, Owner = Mallory };

        await CardAssert.PassesOfficialCheckAsync(
            TimelineCards.Saved(postmortem, entry, []),
            TimelineCards.List(postmortem, [entry], 0),
            ActionCards.List(postmortem, [action], 0, Today),
            PostmortemCards.Welcome(postmortem),
            ReminderCards.Reminder(action, Hostile, Today));
    }

    private static Postmortem HostilePostmortem() => TestData.Postmortem() with
    {
        Title = Hostile,
        Summary = Hostile,
        CustomerImpact = Hostile,
        ReportedBy = Hostile,
        Facilitator = Mallory,
        CreatedBy = Mallory,
    };

    private static (Postmortem Postmortem, Core.Timeline.TimelineEntry Entry) HostileEntry()
    {
        var postmortem = HostilePostmortem();
        return (postmortem, TestData.TimelineEntry(postmortem.Id) with
        {
            Actor = Hostile,
            Description = Hostile,
            Outcome = Hostile,
            Expectations = Hostile,
            Assumptions = Hostile,
            SignalsAvailable = Hostile,
            Author = Mallory,
        });
    }

    /// <summary>
    /// Fails if any TextBlock text or Fact title or value of the serialized card has the user's Markdown unescaped, or
    /// if fewer than <paramref name="minimum"/> of them show it escaped. Returns every such text.
    /// </summary>
    private static List<string> ShowsLiterally(AdaptiveCard card, int minimum)
    {
        var texts = Texts(card).ToList();
        foreach (string text in texts)
        {
            Assert.DoesNotContain(Link, text, $"unescaped link in: {text}");
            Assert.DoesNotContain("**bold**", text, $"unescaped bold in: {text}");
        }

        int escaped = texts.Count(t => t.Contains(EscapedLink, StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(minimum, escaped, $"texts showing the user's text escaped:\n{string.Join("\n", texts)}");
        return texts;
    }

    /// <summary>Every input with one of <paramref name="ids"/> has the user's text as typed, not escaped.</summary>
    private static void KeepsInputsAsTyped(AdaptiveCard card, params string[] ids)
    {
        var values = Nodes(Serialized(card))
            .Where(o => o["type"]?.GetValue<string>() is { } type && type.StartsWith("Input.", StringComparison.Ordinal))
            .ToDictionary(o => o["id"]!.GetValue<string>(), o => o["value"]?.GetValue<string>());
        foreach (string id in ids)
        {
            Assert.AreEqual(Hostile, values[id], $"input {id}");
        }
    }

    /// <summary>The Markdown texts of the card as sent: TextBlock texts and Fact titles and values.</summary>
    private static IEnumerable<string> Texts(AdaptiveCard card)
    {
        foreach (var node in Nodes(Serialized(card)))
        {
            switch (node["type"]?.GetValue<string>())
            {
                case "TextBlock":
                    yield return node["text"]!.GetValue<string>();
                    break;
                case "FactSet":
                    foreach (var fact in node["facts"]!.AsArray())
                    {
                        yield return fact!["title"]!.GetValue<string>();
                        yield return fact["value"]!.GetValue<string>();
                    }

                    break;
            }
        }
    }

    private static JsonNode Serialized(AdaptiveCard card) => JsonNode.Parse(JsonSerializer.Serialize(card, ProtocolJson.Options))!;

    private static IEnumerable<JsonObject> Nodes(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).SelectMany(Nodes).Prepend(o),
        JsonArray a => a.SelectMany(Nodes),
        _ => [],
    };
}
