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
    IOptions<PostmortemOptions> practice,
    TimeProvider time)
{
    /// <summary>More than this and a group belongs in the invite instead (and the card stays small).</summary>
    public const int MaxAttendees = 100;

    public static readonly TimeSpan MinimumNotice = TimeSpan.FromHours(1);

    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<MeetingFeature>();
        services.AddSingleton(sp => new BotCommand("schedule", "schedule", "Schedule the postmortem meeting: I propose a time that suits everyone, you confirm.", (c, ct) => sp.GetRequiredService<MeetingFeature>().CommandAsync(c, MeetingKind.Postmortem, ct)));
        services.AddSingleton(sp => new BotCommand("followup", "followup", "Schedule the follow-up meeting on the actions, a few weeks after the postmortem.", (c, ct) => sp.GetRequiredService<MeetingFeature>().CommandAsync(c, MeetingKind.FollowUp, ct)) { Aliases = ["follow-up"] });
        services.AddSingleton(sp => new CardActionHandler(MeetingCards.PreviewVerb, sp.GetRequiredService<MeetingFeature>().PreviewButtonAsync));
        services.AddSingleton(sp => new CardActionHandler(MeetingCards.ConfirmVerb, sp.GetRequiredService<MeetingFeature>().ConfirmAsync));
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
        return MeetingCards.Preview(preview, MeetingCards.InitialState(preview, FormCards.Shorten(subject, TextLimits.Title - 1), invitees));
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
        var organizerIds = IdsIn(values["organizer"]);
        var attendeeIds = IdsIn(values["attendees"]);
        var organizers = await ChosenAsync(action.Activity, postmortem, organizerIds.Take(1), cancellationToken).ConfigureAwait(false);
        var attendees = await ChosenAsync(action.Activity, postmortem, attendeeIds.Take(MaxAttendees), cancellationToken).ConfigureAwait(false);

        async Task<InvokeResponse> Retry(IEnumerable<FieldError> errors, string? banner = null)
        {
            var proposal = new SlotProposal(time.GetUtcNow(), values[MeetingCards.OrganizerZoneKey] ?? zone, EveryoneFree: false);
            var proposed = (await ChosenAsync(action.Activity, postmortem, [values[MeetingCards.OrganizerKey] ?? postmortem.Facilitator.ObjectId], cancellationToken).ConfigureAwait(false)).People;
            var preview = new MeetingCards.PreviewContext(postmortem, kind, cardId, zone, proposal, proposed.Count > 0 ? proposed[0] : postmortem.Facilitator,
                [.. members.Prepend(postmortem.Facilitator).DistinctBy(p => p.ObjectId)], scheduler.SendsInvites, practice.Value.OpenInvitationGroup, alreadySent);
            var state = FormState.WithErrors(values, errors, banner: banner).WithPeople("organizer", organizers.People).WithPeople("attendees", attendees.People);
            return InvokeResponse.Card(MeetingCards.Preview(preview, state));
        }

        // Invites go out from someone's calendar, so the facilitator is the one who sends them.
        if (PostmortemContext.Author(action.Activity).ObjectId != postmortem.Facilitator.ObjectId)
        {
            return await Retry([], $"Only {CardText.Literal(postmortem.Facilitator.DisplayName)}, who facilitates this postmortem, can send the invite. Your changes are kept here for them.").ConfigureAwait(false);
        }

        var (invite, errors) = await ReadInviteAsync(action, postmortem, values, kind, cardId, zone, emails, organizers, attendeeIds.Count > MaxAttendees ? null : attendees, cancellationToken).ConfigureAwait(false);
        if (invite is null)
        {
            return await Retry(errors).ConfigureAwait(false);
        }

        try
        {
            await scheduler.ConfirmAsync(invite, cardId, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            return await Retry([], "Not sent: storage isn't reachable right now. Your choices are kept here; please try again in a minute.").ConfigureAwait(false);
        }

        return InvokeResponse.Card(MeetingCards.Confirmed(postmortem, invite, scheduler.SendsInvites));
    }

    /// <summary>The invite the card describes, or the errors to show next to its inputs.</summary>
    private async Task<(MeetingInvite? Invite, List<FieldError> Errors)> ReadInviteAsync(
        CardActionContext action, Postmortem postmortem, FormValues values, MeetingKind kind, string cardId, string zone,
        IReadOnlyDictionary<string, string> emails, PeopleDirectory.ChosenPeople organizers, PeopleDirectory.ChosenPeople? chosenAttendees, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        string subject = values["subject"] ?? string.Empty;
        if (subject.Length == 0)
        {
            errors.Add(new FieldError("subject", "Please give the meeting a subject."));
        }
        else if (subject.Length > TextLimits.Title)
        {
            errors.Add(new FieldError("subject", $"Please keep the subject under {TextLimits.Title} characters."));
        }

        DateTimeOffset? start = null;
        bool dateOk = DateOnly.TryParseExact(values["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
        bool timeOk = TimeOnly.TryParseExact(values["time"], ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var startTime);
        if (!dateOk)
        {
            errors.Add(new FieldError("date", "Please pick the date from the calendar."));
        }

        if (!timeOk)
        {
            errors.Add(new FieldError("time", "Please pick a start time, for example 10:00."));
        }

        if (dateOk && timeOk)
        {
            start = TimeZones.FromLocal(date.ToDateTime(startTime), zone);
            var now = time.GetUtcNow();
            if (start < now)
            {
                errors.Add(new FieldError("time", "That time has already passed. Please pick a later one."));
            }
            else if (start < now.AddMinutes(5))
            {
                errors.Add(new FieldError("time", "That's only a few minutes away, too soon for people to join. Please pick a later time."));
            }
            else if (start > now.AddDays(366))
            {
                errors.Add(new FieldError("date", "Please pick a date within the next year."));
            }
        }

        if (!int.TryParse(values["duration"], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes) || !MeetingCards.Durations.Contains(minutes))
        {
            errors.Add(new FieldError("duration", "Please choose a length between 45 and 90 minutes."));
        }

        var organizer = organizers.People.Count > 0 ? organizers.People[0] : null;
        if (organizer is null)
        {
            errors.Add(new FieldError("organizer", "Please choose who organizes the meeting."));
        }

        var attendees = chosenAttendees?.People ?? [];
        if (chosenAttendees is null)
        {
            errors.Add(new FieldError("attendees", $"Please invite at most {MaxAttendees} people here; for more, invite a group in Outlook."));
        }
        else if (chosenAttendees.Unknown.Count > 0)
        {
            errors.Add(new FieldError("attendees", "One of the attendees couldn't be found. Please choose them again from the list."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // The event is created in the organizer's zone (it changes how their calendar shows it, not when it is): the
        // zone found from their calendar for the proposal, or, for an organizer chosen on the card, read now.
        string organizerZone = organizer!.ObjectId == values[MeetingCards.OrganizerKey] && TimeZones.IsKnown(values[MeetingCards.OrganizerZoneKey])
            ? values[MeetingCards.OrganizerZoneKey]!
            : await scheduler.OrganizerTimeZoneAsync(AttendeeOf(organizer, emails), start!.Value, zone, cancellationToken).ConfigureAwait(false);
        var invited = attendees.Where(p => p.ObjectId != organizer.ObjectId).Select(p => AttendeeOf(p, emails)).ToList();
        if (practice.Value.OpenInvitationGroup is { } group)
        {
            invited.Add(new Attendee(group, group, group, IsOptional: true));
        }

        return (new MeetingInvite
        {
            Kind = kind,
            TenantId = action.TenantId,
            PostmortemId = postmortem.Id,
            Subject = subject,
            Start = start!.Value,
            DurationMinutes = minutes,
            TimeZone = organizerZone,
            Organizer = AttendeeOf(organizer, emails),
            Attendees = invited,
            TransactionId = Ids.DerivedId($"{action.TenantId}|{postmortem.Id}|{cardId}|{MeetingCards.KindValue(kind)}"),
            PostmortemLink = PostmortemLinks.ForConversation(action.Activity),
            PageLink = practice.Value.TabUrlFor(postmortem.Id),
            ConversationId = action.Activity.Conversation?.Id,
        }, errors);
    }

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
