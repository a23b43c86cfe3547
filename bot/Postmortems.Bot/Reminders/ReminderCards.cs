using System.Globalization;
using Postmortems.Bot.Actions;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Forms;
using Postmortems.Core.Actions;
using Postmortems.Bot.Reminders;

namespace Postmortems.Bot.Reminders;

/// <summary>
/// The reminder an action owner gets in their 1:1 chat, and the facilitator's weekly digest. Short and kind: the people
/// reading them are often busy and under stress, so the card says what and when, and makes the next step one click.
/// </summary>
public static class ReminderCards
{
    public const string DoneVerb = "reminder.done";
    public const string StartVerb = "reminder.start";
    public const string MoveVerb = "reminder.move";
    public const string UndoVerb = "reminder.undo";
    public const string NewDueDateInput = "newDueDate";

    /// <summary>The reminder card; after a button, the same card with <paramref name="banner"/> on top.</summary>
    /// <param name="undoTo">After "Mark done": the status an Undo button brings the action back to.</param>
    public static AdaptiveCard Reminder(ActionItem action, string postmortemTitle, DateOnly today, string? banner = null, bool bannerIsProblem = false, string? dueDateError = null, ActionStatus? undoTo = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        bool live = action.Status is ActionStatus.Open or ActionStatus.InProgress;
        var body = new List<CardElement> { FormCards.Heading(live ? Heading(action.DueDate, today) : "Thank you") };
        if (banner is not null)
        {
            body.Add(FormCards.Banner(banner, bannerIsProblem));
        }

        body.Add(new TextBlock(CardText.Literal(FormCards.Shorten(action.Title))) { Weight = "bolder" });
        body.Add(FormCards.Subtle(CardText.Literal(postmortemTitle)));
        body.Add(new FactSet(
        [
            new Fact("Due", DueText(action.DueDate, today, live)),
            new Fact("Status", ActionCards.StatusTitle(action.Status)),
        ]));

        var actions = new List<CardAction>();
        if (live)
        {
            body.Add(new TextBlock("If the date no longer fits, pick a new one: a realistic date helps more than a missed one.") { IsSubtle = true, Size = "small" });
            body.Add(new InputDate { Id = NewDueDateInput, Label = "New due date", Value = action.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
            if (dueDateError is not null)
            {
                body.Add(new TextBlock(dueDateError) { Color = "attention", Size = "small", Spacing = "none" });
            }

            var data = FormCards.Data(action.PostmortemId, itemId: action.Id, etag: action.ETag);
            actions.Add(new ExecuteAction("Mark done", DoneVerb) { Data = data, AssociatedInputs = "none", Style = "positive" });
            if (action.Status == ActionStatus.Open)
            {
                actions.Add(new ExecuteAction("Start", StartVerb) { Data = data, AssociatedInputs = "none" });
            }

            actions.Add(new ExecuteAction("Move due date", MoveVerb) { Data = data, AssociatedInputs = "auto" });
        }
        else if (undoTo is { } back)
        {
            var data = FormCards.Data(action.PostmortemId, itemId: action.Id, etag: action.ETag);
            data["status"] = ActionCards.StatusValue(back);
            actions.Add(new ExecuteAction("Undo", UndoVerb) { Data = data, AssociatedInputs = "none" });
        }

        return new AdaptiveCard { Body = body, Actions = actions, FallbackText = $"Reminder: {action.Title}" };
    }

    public static AdaptiveCard Digest(FacilitatorDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var body = new List<CardElement>
        {
            FormCards.Heading("Your weekly actions digest"),
            FormCards.Subtle("The actions of the postmortems you facilitate. Owners get their own reminders."),
        };
        foreach (var line in digest.Postmortems.Take(20))
        {
            body.Add(new Container(
            [
                new TextBlock(CardText.Literal(FormCards.Shorten(line.Title))) { Weight = "bolder" },
                new FactSet(
                [
                    new Fact("Open", line.Open.ToString(CultureInfo.InvariantCulture)),
                    new Fact("Overdue", line.Overdue.ToString(CultureInfo.InvariantCulture)),
                    new Fact("Done this week", line.DoneThisWeek.ToString(CultureInfo.InvariantCulture)),
                ]),
            ])
            { Separator = true, Style = line.Overdue > 0 ? "attention" : null });
        }

        if (digest.Postmortems.Count > 20)
        {
            body.Add(FormCards.Subtle($"And {digest.Postmortems.Count - 20} more in the tab."));
        }

        return new AdaptiveCard { Body = body, FallbackText = "Your weekly actions digest" };
    }

    /// <summary>"Due today", "Due in 2 days", "Overdue by 8 days"…</summary>
    public static string Heading(DateOnly? due, DateOnly today)
    {
        if (due is not { } d)
        {
            return "A reminder about your action";
        }

        int late = ReminderPlanner.DaysOverdue(d, today);
        return late switch
        {
            0 => "Your action is due today",
            < 0 => $"Your action is due in {Days(-late)}",
            _ => $"Your action is overdue by {Days(late)}",
        };
    }

    private static string DueText(DateOnly? due, DateOnly today, bool live)
    {
        if (due is not { } d)
        {
            return "no date";
        }

        string text = d.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
        int late = ReminderPlanner.DaysOverdue(d, today);
        return live && late > 0 ? $"{text} (overdue by {Days(late)})" : text;
    }

    private static string Days(int n) => n == 1 ? "1 day" : $"{n.ToString(CultureInfo.InvariantCulture)} days";
}
