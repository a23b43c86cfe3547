namespace Postmortems.Core.Timeline;

public enum TimelineEntryKind
{
    Action = 0,
    Detection = 1,
    Report = 2,
    Communication = 3,
    CustomerImpact = 4,
    Other = 5,
}
