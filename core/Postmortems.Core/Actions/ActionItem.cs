using Postmortems.Core.Common;
using Postmortems.Core.Remediation;

namespace Postmortems.Core.Actions;

/// <summary>A change to a system, a process, a tool or a signal, with one owner and a due date.</summary>
public sealed record ActionItem : PostmortemItem
{
    public required string Title { get; init; }

    public RemediationCategory? Category { get; init; }

    /// <summary>Required: an action nobody owns is an action nobody does. Nullable so a form's missing owner can be reported.</summary>
    public Person? Owner { get; init; }

    /// <summary>Required; nullable so a form's missing date can be reported.</summary>
    public DateOnly? DueDate { get; init; }

    public ActionStatus Status { get; init; } = ActionStatus.Open;

    /// <summary>The remediation idea this action came from, if any.</summary>
    public string? CreatedFromIdeaId { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The contributing factors (of the same postmortem) this action addresses.</summary>
    public IReadOnlyList<string> FactorIds { get; init; } = [];
}
