using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Postmortems.Bot.Actions;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Forms;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Reminders;

/// <summary>
/// The reminder card's buttons (Action.Execute, answered in place with the updated card): Mark done, Start, Move due
/// date. Each change is written with the version the card showed (If-Match), so a change made meanwhile, in the
/// chat or the tab, is never overwritten: the card says so and shows the action as it is now.
/// </summary>
public sealed class ReminderFeature(
    PostmortemContext context,
    PostmortemItemStore<ActionItem> actions,
    TimeProvider time)
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        AddReminderScan(services);
        services.AddSingleton<ReminderFeature>();
        services.AddCardAction<ReminderFeature>(ReminderCards.DoneVerb, f => (a, ct) => f.ChangeStatusAsync(a, ActionStatus.Done, ct));
        services.AddCardAction<ReminderFeature>(ReminderCards.StartVerb, f => (a, ct) => f.ChangeStatusAsync(a, ActionStatus.InProgress, ct));
        services.AddCardAction<ReminderFeature>(ReminderCards.MoveVerb, f => f.MoveDueDateAsync);
        services.AddCardAction<ReminderFeature>(ReminderCards.UndoVerb, f => f.UndoDoneAsync);
        services.AddSingleton<PersonalChats>();
        services.AddSingleton<Core.Outbox.IOutboxHandler, ReminderSendHandler>();
        services.AddSingleton<Core.Outbox.IOutboxHandler, DigestSendHandler>();
        return services;
    }

    /// <summary>The scan that finds due reminders and queues their sends in the outbox (the senders are registered apart).</summary>
    public static IServiceCollection AddReminderScan(IServiceCollection services)
    {
        services.TryAddSingleton<UserContactStore>();
        services.AddOptions<ReminderOptions>()
            .BindConfiguration(ReminderOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => ReminderOptions.IsTime(o.SendAt), "Postmortems:Reminders:SendAt must be a time of day as HH:mm, e.g. 09:00.")
            .Validate(o => ReminderOptions.IsTime(o.QuietHoursStart) && ReminderOptions.IsTime(o.QuietHoursEnd),
                "Postmortems:Reminders:QuietHoursStart and QuietHoursEnd must be times of day as HH:mm, e.g. 20:00 and 08:00.")
            .Validate(o => Enum.IsDefined(o.DigestDay), "Postmortems:Reminders:DigestDay must be a day of the week, e.g. Monday.")
            .ValidateOnStart();
        services.AddSingleton<ReminderScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderScanner>());
        return services;
    }

    public Task<InvokeResponse> ChangeStatusAsync(CardActionContext action, ActionStatus to, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => WithActionAsync(action, postmortem, values, async item =>
        {
            var (moved, error) = ActionItemRules.MoveTo(item, to, time.GetUtcNow());
            if (moved is null)
            {
                return (null, error!.Message, false);
            }

            string done = to == ActionStatus.Done ? "Marked done. Thank you for seeing it through." : "Marked in progress. Good luck with it.";
            return await SaveAsync(action, moved, done, cancellationToken).ConfigureAwait(false);
        }, cancellationToken, offerUndo: to == ActionStatus.Done), cancellationToken);

    /// <summary>Undo after "Mark done": the action goes back to the status it had, with the version the card showed.</summary>
    public Task<InvokeResponse> UndoDoneAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => WithActionAsync(action, postmortem, values, async item =>
        {
            var (moved, error) = ActionCards.ParseStatus(values["status"]) is { } back
                ? ActionItemRules.UndoFinish(item, back, time.GetUtcNow())
                : (null, new Core.Common.FieldError("status", "This card is out of date."));
            return moved is null
                ? (null, error!.Message, false)
                : await SaveAsync(action, moved, "Undone: it is back on your list.", cancellationToken).ConfigureAwait(false);
        }, cancellationToken), cancellationToken);

    public Task<InvokeResponse> MoveDueDateAsync(CardActionContext action, CancellationToken cancellationToken) =>
        context.AnswerForCardAsync(action, (postmortem, values) => WithActionAsync(action, postmortem, values, async item =>
        {
            var today = PostmortemContext.TodayOf(action.Activity, time);
            if (!DateOnly.TryParseExact(values[ReminderCards.NewDueDateInput], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return (null, "Please pick the new due date from the calendar.", true);
            }

            if (date < today)
            {
                return (null, "That date is in the past. Please choose today or a later date.", true);
            }

            if (date == item.DueDate)
            {
                return (null, "That is already the due date. Pick another date to move it.", true);
            }

            var moved = item with { DueDate = date, UpdatedAt = time.GetUtcNow() };
            return await SaveAsync(action, moved, "Due date moved to " + date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture) + ".", cancellationToken).ConfigureAwait(false);
        }, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the action the card names, runs <paramref name="change"/> on it (with the card's ETag) and answers with
    /// the card: the saved action and a thank-you, or the action as stored and what went wrong.
    /// </summary>
    private async Task<InvokeResponse> WithActionAsync(
        CardActionContext action,
        Postmortem postmortem,
        FormValues values,
        Func<ActionItem, Task<(ActionItem? Saved, string Message, bool AboutDate)>> change,
        CancellationToken cancellationToken,
        bool offerUndo = false)
    {
        var today = PostmortemContext.TodayOf(action.Activity, time);
        var stored = values[FormCards.ItemIdKey] is { } itemId ? await actions.GetAsync(action.TenantId, postmortem.Id, itemId, cancellationToken).ConfigureAwait(false) : null;
        if (stored is null)
        {
            return InvokeResponse.ActionError(404, "NotFound", "This action no longer exists, so there is nothing to remind you of.");
        }

        try
        {
            var (saved, message, aboutDate) = await change(stored with { ETag = values[FormCards.ETagKey] ?? stored.ETag }).ConfigureAwait(false);
            if (saved is not null)
            {
                return InvokeResponse.Card(ReminderCards.Reminder(saved, postmortem.Title, today, message, undoTo: offerUndo ? stored.Status : null));
            }

            // Not saved: show the newest version (a conflict may have changed it) with the reason.
            var current = await actions.GetAsync(action.TenantId, postmortem.Id, stored.Id, cancellationToken).ConfigureAwait(false) ?? stored;
            return InvokeResponse.Card(ReminderCards.Reminder(current, postmortem.Title, today, aboutDate ? null : message, bannerIsProblem: true, dueDateError: aboutDate ? message : null));
        }
        catch (StorageUnavailableException)
        {
            return InvokeResponse.Card(ReminderCards.Reminder(stored, postmortem.Title, today, "Nothing was changed: storage isn't reachable right now. Please try again in a minute.", bannerIsProblem: true));
        }
    }

    private async Task<(ActionItem? Saved, string Message, bool AboutDate)> SaveAsync(CardActionContext action, ActionItem changed, string thanks, CancellationToken cancellationToken)
    {
        var result = await actions.UpdateAsync(action.TenantId, changed, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case WriteStatus.Saved:
                return (result.Value, thanks, false);
            case WriteStatus.Conflict:
                return (null, "Someone changed this action a moment ago (in the chat or the tab), so nothing was changed. Here it is as it is now; try again if it still needs it.", false);
            case WriteStatus.Invalid:
                return (null, string.Join(" ", result.Errors.Select(e => e.Message)), false);
            default:
                return (null, "This action no longer exists.", false);
        }
    }
}
