using System.ComponentModel.DataAnnotations;

namespace Postmortems.GraphSync.Todo;

/// <summary>
/// Settings under "Graph:TodoSync": each action as a task in its owner's Microsoft To Do. Only with Graph configured
/// (Graph:TenantId); in local mode nothing is synced.
/// </summary>
public sealed class TodoSyncOptions
{
    public const string Section = "Graph:TodoSync";

    /// <summary>On by default whenever Graph is configured; false turns the sync off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The To Do list the tasks go in, made in each owner's To Do when missing.</summary>
    [Required]
    [StringLength(255, MinimumLength = 1)]
    public string ListName { get; set; } = "Postmortem actions";

    /// <summary>How long a change-notification subscription is asked for. Graph allows at most 4,230 minutes for To Do tasks.</summary>
    [Range(45, 4230)]
    public int SubscriptionMinutes { get; set; } = 4200;

    /// <summary>Subscriptions that expire within this many hours are renewed by the background job.</summary>
    [Range(1, 48)]
    public double RenewWithinHours { get; set; } = 12;

    /// <summary>How often every list is reconciled with To Do (tasks/delta), the safety net for lost notifications.</summary>
    [Range(1, 1440)]
    public double ReconcileMinutes { get; set; } = 30;

    /// <summary>Off only for tests that run the job themselves.</summary>
    public bool BackgroundJob { get; set; } = true;

    public TimeSpan SubscriptionLifetime => TimeSpan.FromMinutes(SubscriptionMinutes);

    public TimeSpan RenewWithin => TimeSpan.FromHours(RenewWithinHours);

    public TimeSpan ReconcileEvery => TimeSpan.FromMinutes(ReconcileMinutes);
}
