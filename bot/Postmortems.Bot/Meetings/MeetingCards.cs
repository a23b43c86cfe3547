using System.Globalization;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Meetings;

/// <summary>The meeting preview (nothing is sent until the facilitator confirms it), and the cards that follow.</summary>
public static class MeetingCards
{
    public const string PreviewVerb = "meeting.preview";
    public const string ConfirmVerb = "meeting.confirm";
    public const string KindKey = "kind";
    public const string ZoneKey = "zone";
    public const string OrganizerKey = "proposedOrganizer";
    public const string OrganizerZoneKey = "organizerZone";

    public static IReadOnlyList<int> Durations => InviteRules.Durations;

    public const int MaxChoices = 30;

    public static string KindValue(MeetingKind kind) => kind == MeetingKind.Postmortem ? "postmortem" : "followup";

    public static MeetingKind? ParseKind(string? value) => value switch
    {
        "postmortem" => MeetingKind.Postmortem,
        "followup" => MeetingKind.FollowUp,
        _ => null,
    };

    public static string Name(MeetingKind kind) => kind == MeetingKind.Postmortem ? "postmortem meeting" : "follow-up meeting";

    /// <summary>Data for a button that opens the preview of a meeting.</summary>
    public static Dictionary<string, string> PreviewData(string postmortemId, MeetingKind kind)
    {
        var data = FormCards.Data(postmortemId);
        data[KindKey] = KindValue(kind);
        return data;
    }

    /// <summary>What the preview card shows besides its inputs.</summary>
    public sealed record PreviewContext(
        Postmortem Postmortem,
        MeetingKind Kind,
        string CardId,
        string ViewerZone,
        SlotProposal Proposal,
        Person ProposedOrganizer,
        IReadOnlyList<Person> People,
        bool SendsInvites,
        string? OpenInvitationGroup,
        ScheduledMeeting? AlreadySent);

    /// <summary>The preview: every field editable. Times are shown and read in the viewer's zone (kept in the data).</summary>
    public static AdaptiveCard Preview(PreviewContext preview, FormState state)
    {
        ArgumentNullException.ThrowIfNull(preview);
        ArgumentNullException.ThrowIfNull(state);
        var postmortem = preview.Postmortem;
        var body = FormCards.Top(preview.Kind == MeetingKind.Postmortem ? "Schedule the postmortem meeting" : "Schedule the follow-up meeting", postmortem, state);
        body.Add(new TextBlock(preview.Kind == MeetingKind.Postmortem
            ? "Nothing is sent until you press Send invite. Change anything you like first."
            : "A progress check on the actions, with their owners. Nothing is sent until you press Send invite.")
        { IsSubtle = true, Size = "small" });
        if (preview.Proposal.Note is { } note)
        {
            body.Add(new TextBlock(CardText.Literal(note)) { Size = "small" });
        }
        else if (preview.Proposal.EveryoneFree)
        {
            body.Add(new TextBlock("Everyone's calendar is free at the proposed time.") { Size = "small", Color = "good" });
        }

        if (preview.AlreadySent is { } sent)
        {
            body.Add(new TextBlock($"An invite was already sent for {When(sent.Invite.Start, sent.Invite.DurationMinutes, sent.Invite.TimeZone)}. Sending again updates that meeting.") { Size = "small", Weight = "bolder" });
        }

        body.AddRange(FormCards.Field(FormCards.TextInput("subject", "Subject", null, state, TextLimits.Title, required: true), state));
        body.AddRange(FormCards.Field(new InputDate { Id = "date", Label = $"Date (your time zone: {preview.ViewerZone})", IsRequired = true, ErrorMessage = "Please choose a date.", Value = state.Value("date") }, state));
        body.AddRange(FormCards.Field(new InputTime { Id = "time", Label = "Start time", IsRequired = true, ErrorMessage = "Please choose a start time.", Value = state.Value("time") }, state));
        body.AddRange(FormCards.Field(new InputChoiceSet
        {
            Id = "duration",
            Label = "Length",
            Style = "compact",
            IsRequired = true,
            ErrorMessage = "Please choose a length.",
            Choices = [.. Durations.Select(d => new Choice($"{d} minutes", d.ToString(CultureInfo.InvariantCulture)))],
            Value = state.Value("duration"),
        }, state));
        // Two pickers share these choices, so fewer than the action form's keep the card under its size limit (the people
        // chosen are always among them, up to MaxAttendees); both pickers also search the whole organisation.
        var people = preview.People;
        body.AddRange(FormCards.Field(
            FormCards.PeoplePicker("organizer", "Organizer (the invite goes out from their calendar)", people, state, MaxChoices) with
            {
                IsRequired = true,
                ErrorMessage = "Please choose an organizer.",
            },
            state));
        body.AddRange(FormCards.Field(
            FormCards.PeoplePicker("attendees", "Attendees", people, state, MaxChoices) with { IsMultiSelect = true, Placeholder = "Add people" },
            state));
        if (preview.OpenInvitationGroup is { } group)
        {
            body.Add(new TextBlock($"Also invited, as optional: {CardText.Literal(group)}") { Size = "small", IsSubtle = true });
        }

        body.Add(new TextBlock(preview.SendsInvites
            ? "The invite carries a Teams meeting link, the agenda and the prime directive."
            : "Microsoft Graph isn't set up here, so I'll write the invite as an .ics file that Outlook opens, with the same agenda.")
        { Size = "small", IsSubtle = true });

        var data = FormCards.Data(postmortem.Id, preview.CardId);
        data[KindKey] = KindValue(preview.Kind);
        data[ZoneKey] = preview.ViewerZone;
        data[OrganizerKey] = preview.ProposedOrganizer.ObjectId;
        data[OrganizerZoneKey] = preview.Proposal.OrganizerTimeZone;
        return new AdaptiveCard
        {
            Body = body,
            Actions = [new ExecuteAction("Send invite", ConfirmVerb) { Data = data, AssociatedInputs = "auto", Style = "positive" }],
            FallbackText = "Schedule the " + Name(preview.Kind),
        };
    }

    /// <summary>The initial values of the preview's inputs.</summary>
    public static FormState InitialState(PreviewContext preview, string subject, IEnumerable<Person> invitees)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var local = TimeZones.InZone(preview.Proposal.Start, preview.ViewerZone);
        return FormState.From(new Dictionary<string, string?>
        {
            ["subject"] = subject,
            ["date"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["duration"] = "60",
        })
            .WithPeople("organizer", [preview.ProposedOrganizer])
            .WithPeople("attendees", [.. invitees.Where(p => p.ObjectId != preview.ProposedOrganizer.ObjectId).DistinctBy(p => p.ObjectId)]);
    }

    /// <summary>Shown in place of the preview once confirmed: it is recorded and will be sent.</summary>
    public static AdaptiveCard Confirmed(Postmortem postmortem, MeetingInvite invite, bool sendsInvites)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        ArgumentNullException.ThrowIfNull(invite);
        return new AdaptiveCard
        {
            Body =
            [
                FormCards.Heading(sendsInvites ? "The invite is on its way" : "Writing the invite"),
                FormCards.Subtle(CardText.Literal(postmortem.Title)),
                new FactSet(
                [
                    new Fact("Subject", CardText.Literal(invite.Subject)),
                    new Fact("When", When(invite.Start, invite.DurationMinutes, invite.TimeZone)),
                    new Fact("Organizer", CardText.Literal(invite.Organizer.DisplayName)),
                    new Fact("Attendees", invite.Attendees.Count.ToString(CultureInfo.InvariantCulture)),
                ]),
                new TextBlock(sendsInvites
                    ? "I'll post the Teams meeting link here as soon as it's out."
                    : "I'll post where the .ics file is in a moment."),
            ],
            FallbackText = "The invite is on its way",
        };
    }

    /// <summary>Posted to the chat when the invite is out: the join link and the invite's link, or the .ics file.</summary>
    public static AdaptiveCard Sent(MeetingSent sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        string name = Name(sent.Kind);
        var body = new List<CardElement>
        {
            FormCards.Heading(sent.Updated ? $"The {name} was updated" : $"The {name} invite is out"),
            new FactSet([new Fact("Subject", CardText.Literal(sent.Subject)), new Fact("When", When(sent.Start, sent.DurationMinutes, sent.TimeZone))]),
        };
        if (sent.LocalFile is { } file)
        {
            body.Add(new TextBlock($"Microsoft Graph isn't set up here, so I wrote the invite to this file on the app's machine: {file}. Open it with Outlook or any calendar to send it."));
        }

        if (sent.SkippedAttendees.Count > 0)
        {
            body.Add(new TextBlock($"I couldn't find an e-mail address for {string.Join(", ", sent.SkippedAttendees.Select(CardText.Literal))}. Please add them to the meeting in Outlook.") { Color = "attention" });
        }

        var actions = new List<CardAction>();
        if (sent.JoinUrl is { } join)
        {
            actions.Add(new OpenUrlAction("Join the Teams meeting", join));
        }

        if (sent.WebLink is { } web)
        {
            actions.Add(new OpenUrlAction("Open the invite in Outlook", web));
        }

        return new AdaptiveCard { Body = body, Actions = actions.Count > 0 ? actions : null, FallbackText = body[0] is TextBlock t ? t.Text : name };
    }

    /// <summary>"Tue 24 Nov 2026, 09:00–10:00 (America/New_York)", in the given zone.</summary>
    public static string When(DateTimeOffset start, int? minutes, string timeZone)
    {
        var local = TimeZones.InZone(start, timeZone);
        string text = local.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        if (minutes is { } m)
        {
            text += "–" + local.AddMinutes(m).ToString("HH:mm", CultureInfo.InvariantCulture);
        }

        return $"{text} ({timeZone})";
    }
}
