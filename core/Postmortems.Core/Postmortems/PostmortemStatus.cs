namespace Postmortems.Core.Postmortems;

public enum PostmortemStatus
{
    /// <summary>Collecting the summary, timeline and ideas.</summary>
    Open = 0,

    /// <summary>The postmortem meeting is on the calendar.</summary>
    MeetingScheduled = 1,

    /// <summary>The meeting took place; actions are being worked on.</summary>
    Reviewed = 2,

    /// <summary>The facilitator closed it. Actions stay trackable after closing.</summary>
    Closed = 3,
}
