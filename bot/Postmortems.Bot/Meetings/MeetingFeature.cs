using System.Globalization;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Meetings;

/// <summary>
/// The "schedule" and "followup" commands: a preview card with a proposed time, organizer and attendees, which the
/// facilitator edits and confirms; the confirmed invite goes to the outbox and is sent in the background.
/// </summary>
public sealed class MeetingFeature(
    PostmortemContext context,
    PostmortemDocumentReader documents,
    MeetingScheduler scheduler,
    PeopleDirectory people,
    Search.LabelSuggestions.Source index,
    IOptions<PostmortemOptions> practice,
    TimeProvider time)
{
    /// <summary>More than this and a group belongs in the invite instead (and the card stays small).</summary>
    public const int MaxAttendees = InviteRules.MaxAttendees;

    public static readonly TimeSpan MinimumNotice = TimeSpan.FromHours(1);

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<MeetingFeature>();
        services.AddCommand<MeetingFeature>("schedule", "schedule", "Schedule the postmortem meeting: I propose a time that suits everyone, you confirm.", f => (c, ct) => f.CommandAsync(c, MeetingKind.Postmortem, ct));
        services.AddCommand<MeetingFeature>("followup", "followup", "Schedule the follow-up meeting on the actions, a few weeks after the postmortem.", f => (c, ct) => f.CommandAsync(c, MeetingKind.FollowUp, ct), "follow-up");
        services.AddCardAction<MeetingFeature>(MeetingCards.PreviewVerb, f => f.PreviewButtonAsync);
        services.AddCardAction<MeetingFeature>(MeetingCards.ConfirmVerb, f => f.ConfirmAsync);
        return services;
    }

    public Task<IReadOnlyList<Activity>> CommandAsync(CommandContext command, MeetingKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return context.ReplyForActiveAsync(command, p => PreviewAsync(command.Activity, command.TenantId, p, kind, cancellationToken), cancellationToken);
    }

    public Task<InvokeResponse> PreviewButtonAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(
            action,
            async (postmortem, values) => InvokeResponse.Card(await PreviewAsync(action.Activity, action.TenantId, postmortem, MeetingCards.ParseKind(values[MeetingCards.KindKey]) ?? MeetingKind.Postmortem, cancellationToken).ConfigureAwait(false)),
            cancellationToken);

    private async Task<Cards.AdaptiveCard> PreviewAsync(Activity activity, string tenantId, Postmortem postmortem, MeetingKind kind, CancellationToken cancellationToken)
    {
        string zone = PostmortemContext.ZoneOf(activity);
        var document = await documents.ReadAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
        var members = await people.MembersAsync(activity, cancellationToken).ConfigureAwait(false);
        var emails = await people.EmailsAsync(activity, cancellationToken).ConfigureAwait(false);
        // Whoever asks for the meeting is invited too.
        IReadOnlyList<Person> invitees = [.. Invitees(document, postmortem, kind).Append(PostmortemContext.Author(activity)).DistinctBy(p => p.ObjectId)];
        var alreadySent = await scheduler.GetAsync(tenantId, postmortem.Id, kind, cancellationToken).ConfigureAwait(false);

        // People need notice: the first proposal is at least an hour away.
        var notBefore = time.GetUtcNow() + MinimumNotice;
        if (kind == MeetingKind.FollowUp)
        {
            // Weeks after the postmortem meeting (or after today, when it was not scheduled here), from that morning.
            var postmortemMeeting = await scheduler.GetAsync(tenantId, postmortem.Id, MeetingKind.Postmortem, cancellationToken).ConfigureAwait(false);
            var from = (postmortemMeeting?.Invite.Start ?? time.GetUtcNow()).AddDays(practice.Value.FollowUpAfterDays);
            var day = DateOnly.FromDateTime(TimeZones.InZone(from, zone).DateTime);
            notBefore = TimeZones.FromLocal(day.ToDateTime(TimeOnly.MinValue), zone);
        }

        var organizer = postmortem.Facilitator;
        var proposal = await scheduler.ProposeAsync(
            new SlotRequest(AttendeeOf(organizer, emails), [.. invitees.Where(p => p.ObjectId != organizer.ObjectId).Select(p => AttendeeOf(p, emails))], notBefore, TimeSpan.FromMinutes(60), zone),
            cancellationToken).ConfigureAwait(false);

        var preview = new MeetingCards.PreviewContext(postmortem, kind, Ids.NewItemId(), zone, proposal, organizer,
            [.. members.Concat(invitees).DistinctBy(p => p.ObjectId)], scheduler.SendsInvites, practice.Value.OpenInvitationGroup, alreadySent);
        string subject = alreadySent?.Invite.Subject ?? (kind == MeetingKind.Postmortem ? $"Postmortem: {postmortem.Title}" : $"Postmortem follow-up: {postmortem.Title}");
        var card = MeetingCards.Preview(preview, MeetingCards.InitialState(preview, FormCards.Shorten(subject, TextLimits.Title - 1), invitees));
        card = InviteWording.WithSeenBefore(card, await index.SeenBeforeAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false));
        return kind == MeetingKind.Postmortem ? InviteWording.WithWarning(card, document) : card;
    }

    public Task<InvokeResponse> ConfirmAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => ConfirmAsync(action, postmortem, values, cancellationToken), cancellationToken);

    private async Task<InvokeResponse> ConfirmAsync(CardActionContext action, Postmortem postmortem, FormValues values, CancellationToken cancellationToken)
    {
        var kind = MeetingCards.ParseKind(values[MeetingCards.KindKey]) ?? MeetingKind.Postmortem;
        string cardId = values[FormCards.CardIdKey] ?? Ids.NewItemId();
        string zone = TimeZones.IsKnown(values[MeetingCards.ZoneKey]) ? values[MeetingCards.ZoneKey]! : PostmortemContext.ZoneOf(action.Activity);
        var members = await people.MembersAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        var emails = await people.EmailsAsync(action.Activity, cancellationToken).ConfigureAwait(false);
        var alreadySent = await scheduler.GetAsync(action.TenantId, postmortem.Id, kind, cancellationToken).ConfigureAwait(false);

        // Whoever the pickers chose, keyed by Entra object id whichever id the client sent (the Agents Playground sends
        // chat ids), so a card that comes back shows them.
        var attendeeIds = IdsIn(values["attendees"]);
        var organizers = await ChosenAsync(action.Activity, postmortem, IdsIn(values["organizer"]).Take(1), cancellationToken).ConfigureAwait(false);
        var attendees = await ChosenAsync(action.Activity, postmortem, attendeeIds.Take(MaxAttendees), cancellationToken).ConfigureAwait(false);
        var save = new FormSave<MeetingInvite>(
            again => PreviewAgainAsync(action.Activity, postmortem, values, new PreviewParts(kind, cardId, zone, members, alreadySent), again.State.WithPeople("organizer", organizers.People).WithPeople("attendees", attendees.People), cancellationToken),
            invite => Task.FromResult(MeetingCards.Confirmed(postmortem, invite, scheduler.SendsInvites)))
        {
            StorageDownBanner = "Not sent: storage isn't reachable right now. Your choices are kept here; please try again in a minute.",
        };

        // Invites go out from someone's calendar, so the facilitator is the one who sends them.
        if (!Core.Lifecycle.PostmortemLifecycle.IsFacilitatorOrScribe(postmortem, PostmortemContext.Author(action.Activity)))
        {
            return await save.AgainAsync(values, [], $"Only {CardText.Literal(postmortem.Facilitator.DisplayName)}, who facilitates this postmortem, can send the invite. Your changes are kept here for them.").ConfigureAwait(false);
        }

        var choices = ReadChoices(values, zone, organizers, attendeeIds.Count > MaxAttendees ? null : attendees);
        var errors = InviteRules.Validate(choices, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return await save.AgainAsync(values, errors).ConfigureAwait(false);
        }

        var invite = await InviteAsync(action, postmortem, kind, cardId, values, choices, emails, cancellationToken).ConfigureAwait(false);
        return await save.SaveAsync(values, errors, async () =>
        {
            await scheduler.ConfirmAsync(invite, cardId, cancellationToken).ConfigureAwait(false);
            return WriteResult<MeetingInvite>.Saved(invite);
        }).ConfigureAwait(false);
    }

    /// <summary>What a preview card shown again keeps from the one that was sent.</summary>
    private sealed record PreviewParts(MeetingKind Kind, string CardId, string Zone, IReadOnlyList<Person> Members, ScheduledMeeting? AlreadySent);

    /// <summary>The preview card again, with the state's values, errors and banner, and the organizer the card proposed.</summary>
    private async Task<Cards.AdaptiveCard> PreviewAgainAsync(Activity activity, Postmortem postmortem, FormValues values, PreviewParts parts, FormState state, CancellationToken cancellationToken)
    {
        var proposal = new SlotProposal(time.GetUtcNow(), values[MeetingCards.OrganizerZoneKey] ?? parts.Zone, EveryoneFree: false);
        var proposed = (await ChosenAsync(activity, postmortem, [values[MeetingCards.OrganizerKey] ?? postmortem.Facilitator.ObjectId], cancellationToken).ConfigureAwait(false)).People;
        var preview = new MeetingCards.PreviewContext(postmortem, parts.Kind, parts.CardId, parts.Zone, proposal, proposed.Count > 0 ? proposed[0] : postmortem.Facilitator,
            [.. parts.Members.Prepend(postmortem.Facilitator).DistinctBy(p => p.ObjectId)], scheduler.SendsInvites, practice.Value.OpenInvitationGroup, parts.AlreadySent);
        return MeetingCards.Preview(preview, state);
    }

    /// <summary>What the card's inputs say, read as they are: the rules (<see cref="InviteRules"/>) judge them.</summary>
    private static InviteChoices ReadChoices(FormValues values, string zone, PeopleDirectory.ChosenPeople organizers, PeopleDirectory.ChosenPeople? attendees) => new()
    {
        Subject = values["subject"] ?? string.Empty,
        Date = DateOnly.TryParseExact(values["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
        Time = TimeOnly.TryParseExact(values["time"], ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) ? start : null,
        TimeZone = zone,
        DurationMinutes = int.TryParse(values["duration"], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes) ? minutes : null,
        Organizer = organizers.People.Count > 0 ? organizers.People[0] : null,
        Attendees = attendees?.People,
        AttendeesNotFound = attendees?.Unknown.Count ?? 0,
    };

    /// <summary>The invite valid <paramref name="choices"/> describe, ready for the outbox.</summary>
    private async Task<MeetingInvite> InviteAsync(
        CardActionContext action, Postmortem postmortem, MeetingKind kind, string cardId, FormValues values, InviteChoices choices,
        IReadOnlyDictionary<string, string> emails, CancellationToken cancellationToken)
    {
        var start = InviteRules.StartOf(choices)!.Value;
        var organizer = AttendeeOf(choices.Organizer!, emails);
        return new MeetingInvite
        {
            Kind = kind,
            TenantId = action.TenantId,
            PostmortemId = postmortem.Id,
            Subject = choices.Subject,
            Start = start,
            DurationMinutes = choices.DurationMinutes!.Value,
            TimeZone = await OrganizerZoneAsync(organizer, values, start, choices.TimeZone, cancellationToken).ConfigureAwait(false),
            Organizer = organizer,
            Attendees = InviteRules.Invited(organizer, (choices.Attendees ?? []).Select(p => AttendeeOf(p, emails)), practice.Value.OpenInvitationGroup),
            TransactionId = Ids.DerivedId($"{action.TenantId}|{postmortem.Id}|{cardId}|{MeetingCards.KindValue(kind)}"),
            PostmortemLink = PostmortemLinks.ForConversation(action.Activity),
            PageLink = practice.Value.TabUrlFor(postmortem.Id),
            ConversationId = action.Activity.Conversation?.Id,
        };
    }

    /// <summary>
    /// The event is created in the organizer's zone (it changes how their calendar shows it, not when it is): the zone
    /// found from their calendar for the proposal, or, for an organizer chosen on the card, read now.
    /// </summary>
    private async Task<string> OrganizerZoneAsync(Attendee organizer, FormValues values, DateTimeOffset start, string zone, CancellationToken cancellationToken) =>
        organizer.ObjectId == values[MeetingCards.OrganizerKey] && TimeZones.IsKnown(values[MeetingCards.OrganizerZoneKey])
            ? values[MeetingCards.OrganizerZoneKey]!
            : await scheduler.OrganizerTimeZoneAsync(organizer, start, zone, cancellationToken).ConfigureAwait(false);

    /// <summary>People chosen on the card: chat members, the facilitator, or people found by the organisation search.</summary>
    private Task<PeopleDirectory.ChosenPeople> ChosenAsync(Activity activity, Postmortem postmortem, IEnumerable<string> ids, CancellationToken cancellationToken) =>
        people.ChosenAsync(activity, string.Join(",", ids), [postmortem.Facilitator], "Someone outside this chat", cancellationToken);

    /// <summary>The ids a people picker sent (comma-joined when it allows several), once each.</summary>
    private static List<string> IdsIn(string? value) =>
        [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Who is invited by default: everyone who added to the postmortem; for the follow-up, the action owners.</summary>
    private static IReadOnlyList<Person> Invitees(PostmortemDocument? document, Postmortem postmortem, MeetingKind kind)
    {
        var people = new List<Person> { postmortem.Facilitator };
        if (document is not null)
        {
            if (kind == MeetingKind.FollowUp)
            {
                people.AddRange(document.Actions.Where(a => a.Owner is not null).Select(a => a.Owner!));
            }
            else
            {
                people.Add(postmortem.CreatedBy);
                people.AddRange(document.Timeline.Select(i => i.Author));
                people.AddRange(document.Ideas.Select(i => i.Author));
                people.AddRange(document.Actions.Select(i => i.Author));
                people.AddRange(document.Actions.Where(a => a.Owner is not null).Select(a => a.Owner!));
                people.AddRange(document.Whys.Select(i => i.Author));
                people.AddRange(document.Takeaways.Select(i => i.Author));
            }
        }

        return [.. people.DistinctBy(p => p.ObjectId)];
    }

    private static Attendee AttendeeOf(Person person, IReadOnlyDictionary<string, string> emails) =>
        new(person.ObjectId, person.DisplayName, emails.TryGetValue(person.ObjectId, out var email) ? email : null);
}
