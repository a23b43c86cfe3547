using Postmortems.Core.Common;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Postmortems;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Lifecycle;

[TestClass]
public sealed class PostmortemLifecycleTests
{
    private static readonly Person Facilitator = TestData.Alex;
    private static readonly Person Scribe = TestData.Megan;
    private static readonly Person Someone = new("00000000-0000-0000-0000-0000000000022", "Lee Gu");
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static Postmortem In(PostmortemStatus status) => TestData.Postmortem() with { Status = status, Scribe = Scribe };

    private static LifecycleOutcome Apply(PostmortemStatus from, LifecycleStep step, Person? by, string? reason = null, int unmet = 0, DateTimeOffset? meetingStart = null) =>
        PostmortemLifecycle.Apply(In(from) with { MeetingStartsAt = from == PostmortemStatus.MeetingScheduled ? Now.AddHours(-1) : null }, new LifecycleRequest(step, by, Now, reason, unmet, meetingStart));

    [TestMethod]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.InviteSent, null, PostmortemStatus.MeetingScheduled)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.InviteSent, null, PostmortemStatus.MeetingScheduled)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.MeetingCancelled, "facilitator", PostmortemStatus.Draft)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.MeetingCancelled, "scribe", PostmortemStatus.Draft)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.MeetingCancelled, null, PostmortemStatus.Draft)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.MeetingStarted, null, PostmortemStatus.InReview)]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.StartReview, "facilitator", PostmortemStatus.InReview)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.StartReview, "scribe", PostmortemStatus.InReview)]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.Publish, "facilitator", PostmortemStatus.Published)]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.Publish, "facilitator", PostmortemStatus.Published)]
    [DataRow(PostmortemStatus.Published, LifecycleStep.AllActionsFinished, null, PostmortemStatus.Closed)]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.Close, "facilitator", PostmortemStatus.Closed)]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.Close, "scribe", PostmortemStatus.Closed)]
    [DataRow(PostmortemStatus.Published, LifecycleStep.Close, "facilitator", PostmortemStatus.Closed)]
    [DataRow(PostmortemStatus.Published, LifecycleStep.Reopen, "facilitator", PostmortemStatus.InReview)]
    [DataRow(PostmortemStatus.Closed, LifecycleStep.Reopen, "facilitator", PostmortemStatus.InReview)]
    public void EachAllowedTransitionMovesAndIsRecorded(PostmortemStatus from, LifecycleStep step, string? who, PostmortemStatus to)
    {
        var by = who switch { "facilitator" => Facilitator, "scribe" => Scribe, _ => null };

        var outcome = Apply(from, step, by, reason: step == LifecycleStep.Reopen ? "The fix did not hold." : null);

        Assert.IsNull(outcome.Refusal, outcome.Refusal);
        Assert.AreEqual(to, outcome.Moved!.Status);
        if (from != to)
        {
            var recorded = outcome.Moved.History[^1];
            Assert.AreEqual(LifecycleEventKind.StatusChanged, recorded.Kind);
            Assert.AreEqual(to, recorded.Status);
            Assert.AreEqual(by?.ObjectId, recorded.By?.ObjectId);
            Assert.AreEqual(Now, recorded.At);
        }
    }

    [TestMethod]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.InviteSent, null, "The review has already started, so the status stays in review.")]
    [DataRow(PostmortemStatus.Published, LifecycleStep.InviteSent, null, "This postmortem is published. The facilitator can reopen it with a reason first.")]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.MeetingCancelled, "facilitator", "No postmortem meeting is scheduled, so there is nothing to call off.")]
    [DataRow(PostmortemStatus.MeetingScheduled, LifecycleStep.MeetingCancelled, "someone", "Only the facilitator or the scribe can call off the meeting.")]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.MeetingStarted, null, "Only a scheduled meeting starts the review.")]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.StartReview, "facilitator", "The review has already started.")]
    [DataRow(PostmortemStatus.Closed, LifecycleStep.StartReview, "facilitator", "This postmortem is closed. The facilitator can reopen it with a reason first.")]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.StartReview, "someone", "Only the facilitator or the scribe can start the review.")]
    [DataRow(PostmortemStatus.Draft, LifecycleStep.Publish, "facilitator", "Publishing comes after the review. Schedule the meeting, or type review to start the review now.")]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.Publish, "scribe", "Only the facilitator can publish this postmortem.")]
    [DataRow(PostmortemStatus.Published, LifecycleStep.Publish, "facilitator", "This postmortem is already published.")]
    [DataRow(PostmortemStatus.Closed, LifecycleStep.Publish, "facilitator", "This postmortem is closed. The facilitator can reopen it with a reason first.")]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.AllActionsFinished, null, "Only a published postmortem closes by itself when its actions are finished.")]
    [DataRow(PostmortemStatus.Closed, LifecycleStep.Close, "facilitator", "This postmortem is already closed.")]
    [DataRow(PostmortemStatus.Published, LifecycleStep.Close, "someone", "Only the facilitator or the scribe can close this postmortem.")]
    [DataRow(PostmortemStatus.InReview, LifecycleStep.Reopen, "facilitator", "This postmortem is not published or closed, so there is nothing to reopen.")]
    [DataRow(PostmortemStatus.Published, LifecycleStep.Reopen, "scribe", "Only the facilitator can reopen this postmortem.")]
    public void EachRefusedTransitionSaysWhyAndChangesNothing(PostmortemStatus from, LifecycleStep step, string? who, string reason)
    {
        var by = who switch { "facilitator" => Facilitator, "scribe" => Scribe, "someone" => Someone, _ => null };

        var outcome = Apply(from, step, by, reason: step == LifecycleStep.Reopen ? "A reason." : null);

        Assert.IsNull(outcome.Moved);
        Assert.AreEqual(reason, outcome.Refusal);
    }

    [TestMethod]
    public void TheMeetingStartsTheReviewOnlyOnceItsTimeHasCome()
    {
        var scheduled = In(PostmortemStatus.MeetingScheduled) with { MeetingStartsAt = Now.AddMinutes(30) };

        var early = PostmortemLifecycle.Apply(scheduled, new LifecycleRequest(LifecycleStep.MeetingStarted, null, Now));
        var before = PostmortemLifecycle.CatchUp(scheduled, Now);
        var after = PostmortemLifecycle.CatchUp(scheduled, Now.AddMinutes(30));

        Assert.AreEqual("The meeting has not started yet.", early.Refusal);
        Assert.AreSame(scheduled, before);
        Assert.AreEqual(PostmortemStatus.InReview, after.Status);
        Assert.AreEqual(Now.AddMinutes(30), after.History[^1].At);
    }

    [TestMethod]
    public void TheInviteRecordsTheMeetingStartAndAMovedMeetingUpdatesIt()
    {
        var sent = PostmortemLifecycle.Apply(In(PostmortemStatus.Draft), new LifecycleRequest(LifecycleStep.InviteSent, null, Now, MeetingStart: Now.AddDays(2))).Moved!;
        var moved = PostmortemLifecycle.Apply(sent, new LifecycleRequest(LifecycleStep.InviteSent, null, Now, MeetingStart: Now.AddDays(3))).Moved!;
        var cancelled = PostmortemLifecycle.Apply(moved, new LifecycleRequest(LifecycleStep.MeetingCancelled, Facilitator, Now)).Moved!;

        Assert.AreEqual(Now.AddDays(2), sent.MeetingStartsAt);
        Assert.AreEqual(Now.AddDays(3), moved.MeetingStartsAt);
        Assert.HasCount(sent.History.Count, moved.History, "a moved meeting is not a new status");
        Assert.AreEqual(PostmortemStatus.Draft, cancelled.Status);
        Assert.IsNull(cancelled.MeetingStartsAt);
    }

    [TestMethod]
    public void PublishingWithUnmetChecksNeedsAReasonWhichIsRecorded()
    {
        var refused = Apply(PostmortemStatus.InReview, LifecycleStep.Publish, Facilitator, unmet: 2);
        var blank = Apply(PostmortemStatus.InReview, LifecycleStep.Publish, Facilitator, reason: "   ", unmet: 1);
        var published = Apply(PostmortemStatus.InReview, LifecycleStep.Publish, Facilitator, reason: " No customer impact: internal only. ", unmet: 1).Moved!;

        Assert.AreEqual("2 items of the checklist are not met yet. Fill them in, or publish anyway with a reason when they truly do not apply.", refused.Refusal);
        Assert.AreEqual("One item of the checklist is not met yet. Fill it in, or publish anyway with a reason when it truly does not apply.", blank.Refusal);
        Assert.AreEqual(PostmortemStatus.Published, published.Status);
        Assert.AreEqual(Now, published.PublishedAt);
        Assert.AreEqual(Facilitator, published.PublishedBy);
        Assert.AreEqual("No customer impact: internal only.", published.History[^1].Reason);
    }

    [TestMethod]
    public void ReopeningNeedsAReasonKeptWithinItsLimitAndClearsThePublication()
    {
        var published = Apply(PostmortemStatus.InReview, LifecycleStep.Publish, Facilitator).Moved!;

        var noReason = PostmortemLifecycle.Apply(published, new LifecycleRequest(LifecycleStep.Reopen, Facilitator, Now));
        var tooLong = PostmortemLifecycle.Apply(published, new LifecycleRequest(LifecycleStep.Reopen, Facilitator, Now, new string('x', PostmortemLifecycle.ReasonLimit + 1)));
        var reopened = PostmortemLifecycle.Apply(published, new LifecycleRequest(LifecycleStep.Reopen, Facilitator, Now, "The fix did not hold under load.")).Moved!;

        Assert.AreEqual("Please say why you are reopening it, for example: reopen The fix did not hold under load.", noReason.Refusal);
        Assert.AreEqual("Please keep the reason under 500 characters.", tooLong.Refusal);
        Assert.AreEqual(PostmortemStatus.InReview, reopened.Status);
        Assert.IsNull(reopened.PublishedAt);
        Assert.AreEqual("The fix did not hold under load.", reopened.History[^1].Reason);
        Assert.IsNull(PostmortemLifecycle.AnalysisFrozenReason(reopened));
    }

    [TestMethod]
    public void HandingOverMovesTheRoleRecordsItAndOnlyTheFacilitatorMayDoIt()
    {
        var postmortem = In(PostmortemStatus.Draft);

        var byScribe = PostmortemLifecycle.HandOver(postmortem, Scribe, Someone, Now);
        var toThemselves = PostmortemLifecycle.HandOver(postmortem, Facilitator, Facilitator, Now);
        var toNobody = PostmortemLifecycle.HandOver(postmortem, Facilitator, null, Now);
        var toScribe = PostmortemLifecycle.HandOver(postmortem, Facilitator, Scribe, Now).Moved!;

        Assert.AreEqual("Only the facilitator can hand the role over.", byScribe.Refusal);
        Assert.AreEqual("They already facilitate this postmortem.", toThemselves.Refusal);
        Assert.AreEqual("Please pick who will facilitate.", toNobody.Refusal);
        Assert.AreEqual(Scribe, toScribe.Facilitator);
        Assert.IsNull(toScribe.Scribe, "one person, one role");
        Assert.AreEqual(new LifecycleEvent(LifecycleEventKind.FacilitatorHandedOver, Now, Facilitator, Person: Scribe), toScribe.History[^1]);
    }

    [TestMethod]
    public void TheScribeAndTheIncidentCommanderAreNamedByTheFacilitatorOrTheScribe()
    {
        var postmortem = TestData.Postmortem();

        var scribeByOther = PostmortemLifecycle.SetScribe(postmortem, Someone, Scribe, Now);
        var facilitatorAsScribe = PostmortemLifecycle.SetScribe(postmortem, Facilitator, Facilitator, Now);
        var withScribe = PostmortemLifecycle.SetScribe(postmortem, Facilitator, Scribe, Now).Moved!;
        var commander = PostmortemLifecycle.SetIncidentCommander(withScribe, Scribe, Someone, Now).Moved!;
        var commanderByOther = PostmortemLifecycle.SetIncidentCommander(withScribe, Someone, Someone, Now);

        Assert.AreEqual("Only the facilitator or the scribe can change the scribe.", scribeByOther.Refusal);
        Assert.AreEqual("The facilitator can't also be the scribe. Please pick someone else, or nobody.", facilitatorAsScribe.Refusal);
        Assert.AreEqual(Someone, commander.IncidentCommander);
        Assert.AreEqual(LifecycleEventKind.IncidentCommanderChanged, commander.History[^1].Kind);
        Assert.AreEqual("Only the facilitator or the scribe can change the incident commander.", commanderByOther.Refusal);
    }

    [TestMethod]
    [DataRow(PostmortemStatus.Draft, false)]
    [DataRow(PostmortemStatus.MeetingScheduled, false)]
    [DataRow(PostmortemStatus.InReview, false)]
    [DataRow(PostmortemStatus.Published, true)]
    [DataRow(PostmortemStatus.Closed, true)]
    public void OnlyFinishedPostmortemsFreezeTheirAnalysis(PostmortemStatus status, bool frozen)
    {
        string? reason = PostmortemLifecycle.AnalysisFrozenReason(In(status));

        Assert.AreEqual(frozen, reason is not null);
        if (frozen)
        {
            StringAssert.StartsWith(reason, $"This postmortem is {PostmortemLifecycle.Describe(status)}, so its analysis is read-only");
            StringAssert.Contains(reason, "Action updates still work");
        }
    }

    [TestMethod]
    public void TheHistoryKeepsTheLatestEvents()
    {
        var postmortem = In(PostmortemStatus.Draft);
        for (int i = 0; i < LifecycleEvent.Kept + 10; i++)
        {
            postmortem = PostmortemLifecycle.Apply(postmortem, new LifecycleRequest(LifecycleStep.InviteSent, null, Now.AddMinutes(i))).Moved!;
            postmortem = PostmortemLifecycle.Apply(postmortem, new LifecycleRequest(LifecycleStep.MeetingCancelled, Facilitator, Now.AddMinutes(i))).Moved!;
        }

        Assert.HasCount(LifecycleEvent.Kept, postmortem.History);
        Assert.AreEqual(Now.AddMinutes(LifecycleEvent.Kept + 9), postmortem.History[^1].At);
    }

    [TestMethod]
    [DataRow("Open", PostmortemStatus.Draft)]
    [DataRow("Reviewed", PostmortemStatus.InReview)]
    [DataRow("MeetingScheduled", PostmortemStatus.MeetingScheduled)]
    [DataRow("Closed", PostmortemStatus.Closed)]
    [DataRow("Draft", PostmortemStatus.Draft)]
    [DataRow("InReview", PostmortemStatus.InReview)]
    [DataRow("Published", PostmortemStatus.Published)]
    [DataRow("4", PostmortemStatus.Draft)]
    [DataRow("closed", PostmortemStatus.Draft)]
    [DataRow(null, PostmortemStatus.Draft)]
    public void StoredStatusesReadIncludingTheNamesUsedBefore(string? stored, PostmortemStatus expected)
    {
        Assert.AreEqual(expected, PostmortemStatuses.Parse(stored));
    }

    [TestMethod]
    public void TheHistoryRoundTripsAsJsonAndUnreadableHistoryReadsAsNone()
    {
        var history = PostmortemLifecycle.HandOver(TestData.Postmortem(), Facilitator, new Person("id", "Name \"quoted\" <b>"), Now).Moved!.History;

        CollectionAssert.AreEqual(history.ToList(), LifecycleHistory.Read(LifecycleHistory.Write(history)).ToList());
        Assert.IsEmpty(LifecycleHistory.Read("{not json"));
        Assert.IsNull(LifecycleHistory.Write([]));
    }
}
