namespace Postmortems.Core.Actions;

/// <summary>How soon an action matters, next to its due date. The numbers give the order within a due date: high first.</summary>
public enum ActionPriority
{
    High = 0,
    Medium = 1,
    Low = 2,
}
