using Microsoft.Extensions.DependencyInjection;
using Postmortems.Bot.Actions;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Discussion;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Items;
using Postmortems.Bot.Lifecycle;
using Postmortems.Bot.Meetings;
using Postmortems.Bot.Remediation;
using Postmortems.Bot.Timeline;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Language;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Remediation;
using Postmortems.Core.Timeline;
using Postmortems.GraphSync.Meetings;
using Postmortems.Testing;

namespace Postmortems.Bot.Tests.Cards;

/// <summary>
/// Every card the bot can send, built with the largest content the product accepts, parsed and validated by the
/// official Adaptive Cards library and kept under the card size limit. Structure, not snapshots.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class EveryCardTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [TestMethod]
    public async Task EveryCardPassesTheOfficialCheckAtItsLargest()
    {
        var postmortem = Full(TestData.Postmortem());
        var entries = Enumerable.Range(0, 30).Select(i => FullEntry(postmortem.Id, i)).ToList();
        var actions = Enumerable.Range(0, 30).Select(i => FullAction(postmortem.Id, i)).ToList();
        var members = Enumerable.Range(0, 80).Select(i => new Person(Guid.NewGuid().ToString(), new string('N', TextLimits.Name))).ToList();
        var idea = new RemediationIdea { Id = "i1", PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Category = RemediationCategory.QuickFix, Text = Long(TextLimits.LongText) };
        var chain = new FiveWhys { Id = "w1", PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Problem = Long(TextLimits.LongText), Whys = [.. Enumerable.Repeat(Long(TextLimits.Why), 5)] };
        var takeaways = Enumerable.Range(0, 40).Select(i => new Takeaway { Id = $"t{i}", PostmortemId = postmortem.Id, Author = TestData.Megan, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(i), Text = Long(TextLimits.LongText) }).ToList();
        var suggestions = BlamelessLanguage.Check("description", "Human error: he should have known, it was obviously careless and his fault.");
        var withErrors = FormState.WithErrors(new FormValues(new Dictionary<string, string?> { ["actor"] = Long(TextLimits.Name) }), [new FieldError("actor", "Please add who acted.")]);
        var document = new PostmortemDocument(postmortem, entries, [idea], actions, [chain], [], takeaways);

        await CardAssert.PassesOfficialCheckAsync(
            HelpCard.Build(await RegisteredCommandsAsync()),
            PostmortemCards.Welcome(postmortem),
            PostmortemCards.Welcome(postmortem, offerIncidentChannel: true),
            PostmortemCards.SummaryForm(postmortem, PostmortemCards.SummaryStateOf(postmortem, "Europe/Paris"), "Europe/Paris"),
            PostmortemCards.SummaryForm(postmortem, withErrors, "Europe/Paris"),
            PostmortemCards.Status(document, Today, "Europe/Paris"),
            PostmortemCards.Status(document with { Postmortem = Finished(postmortem) }, Today, "Europe/Paris"),
            LifecycleCards.Roles(Finished(postmortem), members, Long(300)),
            LifecycleCards.Checklist(postmortem, PublishChecklist.Evaluate(new PublishFacts(false, false, 0, 0, 12, 30, 0)), Long(PostmortemLifecycle.ReasonLimit)),
            LifecycleCards.Checklist(postmortem, PublishChecklist.Evaluate(new PublishFacts(true, true, 3, 2, 0, 0, 1))),
            LifecycleCards.Published(document with { Postmortem = Finished(postmortem), ContributingFactors = [.. Enumerable.Range(0, 5).Select(i => new ContributingFactor { Id = $"f{i}", PostmortemId = postmortem.Id, Author = TestData.Alex, CreatedAt = DateTimeOffset.UtcNow, Text = Long(TextLimits.LongText) })] }, new Uri("https://app.contoso.test/tab/postmortems/" + postmortem.Id)),
            LifecycleCards.ReopenForm(Finished(postmortem), Long(300)),
            InviteWording.WithWarning(InviteWording.WithSeenBefore(MeetingCards.Preview(Preview(postmortem, members, MeetingKind.Postmortem), FormState.Empty), [.. Enumerable.Range(0, 5).Select(i => new Core.Overview.SeenBefore($"pm{i}", Long(TextLimits.Title), DateTimeOffset.UtcNow, Long(300)))]), document with { Timeline = [.. entries.Select(e => e with { Description = "He should have known; human error, careless." })] }),
            PostmortemCards.List(Enumerable.Range(0, 30).Select(_ => Full(TestData.Postmortem())).ToList(), postmortem.Id),
            TimelineCards.Form(postmortem, FormState.Empty, Ids.NewItemId(), "Europe/Paris"),
            TimelineCards.Form(postmortem, TimelineCards.StateOf(entries[0]) with { Banner = "Not saved yet: please check the notes below." }, Ids.NewItemId(), "Asia/Kolkata", entries[0].Id, "W/\"etag\""),
            TimelineCards.Saved(postmortem, entries[0], suggestions),
            TimelineCards.List(postmortem, entries, 1),
            TimelineCards.List(postmortem, entries, 1, "America/Port-au-Prince"),
            TimelineCards.Saved(postmortem, entries[0], suggestions, viewerZone: "Pacific/Chatham"),
            TimelineCards.List(postmortem, [], 0),
            IdeaCards.Form(postmortem, withErrors, Ids.NewItemId()),
            IdeaCards.Saved(postmortem, idea, suggestions),
            ActionCards.Form(postmortem, FormState.Empty, Ids.NewItemId(), members),
            ActionCards.Form(postmortem, ActionCards.StateOf(actions[0]), Ids.NewItemId(), members, actions[0].Id, "W/\"etag\"", "idea-1"),
            ActionCards.Saved(postmortem, actions[0], suggestions, updated: true),
            ActionCards.List(postmortem, actions, 2, Today, "Someone changed that action a moment ago, so nothing was changed."),
            DiscussionCards.WhysForm(postmortem, FormState.Empty, Ids.NewItemId()),
            DiscussionCards.WhysSaved(postmortem, chain, suggestions),
            DiscussionCards.TakeawayForm(postmortem, FormState.Empty, Ids.NewItemId(), takeaways),
            DiscussionCards.TakeawaySaved(postmortem, takeaways, takeaways[^1], updated: true),
            DiscussionCards.WhysForm(postmortem, DiscussionCards.WhysStateOf(chain), Ids.NewItemId(), chain.Id, "W/\"etag\""),
            IdeaCards.Form(postmortem, IdeaCards.StateOf(idea), Ids.NewItemId(), idea.Id, "W/\"etag\""),
            ActionCards.List(postmortem, actions, 0, Today, finished: new FinishedAction(actions[1] with { Status = ActionStatus.WontDo }, ActionStatus.InProgress)),
            ItemCards.Removed(postmortem, RemovableKinds.Action, actions[0], new Core.Storage.ItemTombstone(new Person(TestData.Megan.ObjectId, Long(TextLimits.Name)), DateTimeOffset.UtcNow), "Asia/Kolkata"),
            ItemCards.Restored(postmortem, RemovableKinds.Timeline, entries[0]),
            MeetingCards.Preview(Preview(postmortem, members, MeetingKind.Postmortem), withErrors),
            MeetingCards.Preview(Preview(postmortem, members, MeetingKind.FollowUp), FormState.Empty),
            MeetingCards.Preview(Preview(postmortem, members, MeetingKind.FollowUp), MeetingCards.InitialState(Preview(postmortem, members, MeetingKind.FollowUp), Long(TextLimits.Title), MostInvitees())),
            MeetingCards.Confirmed(postmortem, LargestInvite(postmortem, members), sendsInvites: true),
            MeetingCards.Sent(new MeetingSent(MeetingKind.Postmortem, Long(TextLimits.Title), DateTimeOffset.UtcNow, 90, "America/New_York", "event-1",
                new Uri("https://outlook.office365.com/owa/?itemid=1"), new Uri("https://teams.microsoft.com/l/meetup-join/1"), "/var/lib/app/.data/invites/x-postmortem.ics",
                [.. members.Take(100).Select(m => m.DisplayName)], Updated: false)));
    }

    /// <summary>Published, with every role named at the longest name.</summary>
    private static Postmortem Finished(Postmortem postmortem) => postmortem with
    {
        Status = PostmortemStatus.Published,
        Scribe = new Person("s", Long(TextLimits.Name)),
        IncidentCommander = new Person("c", Long(TextLimits.Name)),
        PublishedAt = DateTimeOffset.UtcNow,
        PublishedBy = new Person("p", Long(TextLimits.Name)),
    };

    /// <summary>As many invitees as a meeting takes, each with the longest name: every one is a chosen attendee.</summary>
    private static List<Person> MostInvitees() =>
        [.. Enumerable.Range(0, Postmortems.Bot.Meetings.MeetingFeature.MaxAttendees).Select(i => new Person(Guid.NewGuid().ToString(), new string('M', TextLimits.Name)))];

    private static MeetingCards.PreviewContext Preview(Postmortem postmortem, IReadOnlyList<Person> members, MeetingKind kind) =>
        new(postmortem, kind, Ids.NewItemId(), "Asia/Kolkata",
            new SlotProposal(DateTimeOffset.UtcNow.AddDays(1), "Eastern Standard Time", EveryoneFree: false, Long(300)),
            postmortem.Facilitator, members, SendsInvites: false, "postmortems@contoso.test", AlreadySent: null);

    private static MeetingInvite LargestInvite(Postmortem postmortem, IReadOnlyList<Person> members) => new()
    {
        Kind = MeetingKind.Postmortem,
        TenantId = "t",
        PostmortemId = postmortem.Id,
        Subject = Long(TextLimits.Title),
        Start = DateTimeOffset.UtcNow,
        DurationMinutes = 90,
        TimeZone = "America/New_York",
        Organizer = new Attendee(postmortem.Facilitator.ObjectId, postmortem.Facilitator.DisplayName),
        Attendees = [.. members.Select(m => new Attendee(m.ObjectId, m.DisplayName))],
        TransactionId = "tx",
    };

    [TestMethod]
    public void ListsArePagedSoNoPageGrowsWithTheTimeline()
    {
        var postmortem = TestData.Postmortem();
        var entries = Enumerable.Range(0, 30).Select(i => FullEntry(postmortem.Id, i)).ToList();

        var first = TimelineCards.List(postmortem, entries, 0);
        var last = TimelineCards.List(postmortem, entries, 3);

        Assert.AreEqual(TimelineCards.PageSize, first.Body.OfType<Container>().Count());
        Assert.AreEqual(30 - (3 * TimelineCards.PageSize), last.Body.OfType<Container>().Count());
        CollectionAssert.AreEqual(new[] { "Next page", "Add entry" }, first.Actions!.Select(a => a.Title).ToArray());
        CollectionAssert.AreEqual(new[] { "Previous page", "Add entry" }, last.Actions!.Select(a => a.Title).ToArray());
    }

    [TestMethod]
    public void TheTimelineFormUsesTheInputIdsOfTheContract()
    {
        var form = TimelineCards.Form(TestData.Postmortem(), FormState.Empty, "card-1", "Europe/Paris");

        var ids = form.Body.OfType<CardInput>().Select(i => i.Id).ToArray();

        CollectionAssert.AreEqual(new[] { "occurredDate", "occurredTime", "occurredSeconds", "timeZone", "actor", "description", "outcome", "expectations", "assumptions", "kind", "signals" }, ids);
        Assert.IsInstanceOfType<InputDate>(form.Body.OfType<CardInput>().First());
        Assert.IsInstanceOfType<InputTime>(form.Body.OfType<CardInput>().ElementAt(1));
        Assert.AreEqual("Europe/Paris", ((InputChoiceSet)form.Body.OfType<CardInput>().ElementAt(3)).Value, "the user's own zone by default");
    }

    [TestMethod]
    public void TheActionFormHasAPeoplePickerAndRequiresOwnerAndDate()
    {
        var form = ActionCards.Form(TestData.Postmortem(), FormState.Empty, "card-1", [TestData.Megan]);

        var inputs = form.Body.OfType<CardInput>().ToDictionary(i => i.Id!);

        CollectionAssert.AreEqual(new[] { "title", "category", "owner", "dueDate", "priority", "workItemLink" }, inputs.Keys.ToArray());
        Assert.AreEqual("medium", ((InputChoiceSet)inputs["priority"]).Value, "medium unless chosen");
        var owner = (InputChoiceSet)inputs["owner"];
        Assert.AreEqual("graph.microsoft.com/users", owner.ChoicesData!.Dataset);
        Assert.AreEqual(TestData.Megan.ObjectId, owner.Choices.Single().Value, "the value is the Entra object id");
        Assert.IsTrue(owner.IsRequired);
        Assert.IsTrue(inputs["dueDate"].IsRequired);
    }

    private static async Task<IReadOnlyList<BotCommand>> RegisteredCommandsAsync()
    {
        await using var app = Protocol.BotApp.Create((await SharedAzurite.GetAsync()).ConnectionString, System.Net.IPAddress.Loopback);
        return app.Services.GetRequiredService<CommandRouter>().Commands;
    }

    private static string Long(int length) => string.Concat(Enumerable.Repeat("Config change 4711 “rolled out” <b>&amp;</b> ", (length / 44) + 1))[..length];

    private static Postmortem Full(Postmortem p) => p with
    {
        Title = Long(TextLimits.Title),
        Summary = Long(TextLimits.LongText),
        CustomerImpact = Long(TextLimits.LongText),
        ReportedBy = Long(TextLimits.Name),
        Facilitator = new Person(p.Facilitator.ObjectId, Long(TextLimits.Name)),
        CreatedBy = new Person(p.CreatedBy.ObjectId, Long(TextLimits.Name)),
    };

    private static TimelineEntry FullEntry(string postmortemId, int i) => TestData.TimelineEntry(postmortemId) with
    {
        OccurredAt = TestData.TimelineEntry(postmortemId).OccurredAt.AddMinutes(i),
        Actor = Long(TextLimits.Name),
        Description = Long(TextLimits.LongText),
        Outcome = Long(TextLimits.LongText),
        Expectations = Long(TextLimits.LongText),
        Assumptions = Long(TextLimits.LongText),
        SignalsAvailable = Long(TextLimits.LongText),
        Author = new Person(TestData.Alex.ObjectId, Long(TextLimits.Name)),
    };

    private static ActionItem FullAction(string postmortemId, int i) => TestData.Action(postmortemId) with
    {
        Title = Long(TextLimits.ActionTitle),
        Owner = new Person(TestData.Megan.ObjectId, Long(TextLimits.Name)),
        DueDate = Today.AddDays(i - 5),
        Status = i % 3 == 0 ? ActionStatus.InProgress : ActionStatus.Open,
        Priority = (ActionPriority)(i % 3),
        WorkItemLink = "https://tracker.example.com/" + new string('w', WorkItemLinks.MaxLength - 31),
        ETag = "W/\"datetime'2026-11-23T10%3A00%3A00.0000000Z'\"",
    };
}
