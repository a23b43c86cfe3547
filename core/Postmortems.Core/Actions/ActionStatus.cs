namespace Postmortems.Core.Actions;

public enum ActionStatus
{
    Open = 0,
    InProgress = 1,
    Done = 2,
    WontDo = 3,
}
