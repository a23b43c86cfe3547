using System.Globalization;
using Postmortems.Core.Common;

namespace Postmortems.Core.Actions;

public static class ActionItemRules
{
    /// <summary>
    /// Checks an action. <paramref name="today"/> is the date in the owner's or editor's zone; a due date in the past is
    /// refused only when the date is being set, so an overdue action can still have its status changed.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(ActionItem action, DateOnly today, bool dueDateIsBeingSet)
    {
        ArgumentNullException.ThrowIfNull(action);
        var v = new Validation()
            .RequiredLine("title", "what will change", action.Title, TextLimits.ActionTitle)
            .RequiredPerson("owner", "an owner", action.Owner);

        if (NonActionCheck.FindNonAction(action.Title) is { } wish)
        {
            v.Add("title", string.Format(CultureInfo.InvariantCulture, NonActionCheck.Explanation, wish));
        }

        if (action.DueDate is not { } due)
        {
            v.Add("dueDate", "Please choose a due date, so the follow-up meeting can check on it.");
        }
        else if (dueDateIsBeingSet && due < today)
        {
            v.Add("dueDate", "This due date is in the past. Please choose today or a later date.");
        }

        if (action.Category is { } category && !Enum.IsDefined(category))
        {
            v.Add("category", "Please choose a category from the list.");
        }

        if (!Enum.IsDefined(action.Status))
        {
            v.Add("status", "Please choose open, in progress, done or won't do.");
        }

        if (action.FactorIds.Count > TextLimits.FactorsPerAction || action.FactorIds.Any(id => !Ids.IsValidKeyPart(id)))
        {
            v.Add("factors", "One of the contributing factors isn't one we know. Please choose them again from the list.");
        }

        v.Optional("createdFromIdeaId", "the idea reference", action.CreatedFromIdeaId, Ids.MaxLength);
        return v.Errors;
    }

    /// <summary>
    /// Checks an action a form saves: a new one, or an edit of <paramref name="stored"/>. Its due date is checked against
    /// <paramref name="today"/> only when it is set or changed, so an overdue action can still be edited.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateSave(ActionItem? stored, ActionItem action, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Validate(action, today, dueDateIsBeingSet: stored is null || stored.DueDate != action.DueDate);
    }

    /// <summary>
    /// The stored action with a form's changes: an edit changes what the form shows (title, category, owner, due date)
    /// and keeps who wrote it and when, its status and the idea it came from; it records when it changed, and carries
    /// the version the form showed (or, when the form had none, the stored one).
    /// </summary>
    public static ActionItem Edit(ActionItem stored, ActionItem edited, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(edited);
        return edited with
        {
            Author = stored.Author,
            CreatedAt = stored.CreatedAt,
            Status = stored.Status,
            CreatedFromIdeaId = stored.CreatedFromIdeaId ?? edited.CreatedFromIdeaId,
            UpdatedAt = now,
            ETag = edited.ETag ?? stored.ETag,
        };
    }

    /// <summary>True when the title asks people to try harder instead of naming a change (<see cref="NonActionCheck"/>).</summary>
    public static bool IsWish(ActionItem action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return NonActionCheck.FindNonAction(action.Title) is not null;
    }

    /// <summary>
    /// Which status may follow which: done and won't-do can only be reopened, not jump to in progress,
    /// so a reopened action is visible as open again.
    /// </summary>
    public static bool CanMove(ActionStatus from, ActionStatus to) => (from, to) switch
    {
        _ when from == to => true,
        (ActionStatus.Open or ActionStatus.InProgress, _) => true,
        (ActionStatus.Done or ActionStatus.WontDo, ActionStatus.Open) => true,
        _ => false,
    };

    public static (ActionItem? Moved, FieldError? Error) MoveTo(ActionItem action, ActionStatus to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!Enum.IsDefined(to))
        {
            return (null, new FieldError("status", "Please choose open, in progress, done or won't do."));
        }

        if (!CanMove(action.Status, to))
        {
            return (null, new FieldError("status", "This action is finished. Reopen it first, then change its status."));
        }

        return (action with { Status = to, UpdatedAt = now }, null);
    }

    public static bool IsOverdue(ActionItem action, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Status is ActionStatus.Open or ActionStatus.InProgress && action.DueDate < today;
    }
}
