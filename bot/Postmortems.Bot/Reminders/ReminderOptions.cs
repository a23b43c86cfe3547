using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Postmortems.Bot.Reminders;

/// <summary>Settings under "Postmortems:Reminders": when action owners and facilitators are reminded.</summary>
public sealed class ReminderOptions
{
    public const string Section = "Postmortems:Reminders";

    /// <summary>Off: no scan runs and nothing is reminded.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The first reminder, this many days before the due date; 0 for none before the due date itself.</summary>
    [Range(0, 60)]
    public int DaysBefore { get; set; } = 2;

    /// <summary>The local time (in the recipient's zone) reminders go out, "HH:mm".</summary>
    public string SendAt { get; set; } = "09:00";

    /// <summary>From this local time ("HH:mm")…</summary>
    public string QuietHoursStart { get; set; } = "20:00";

    /// <summary>…to this one nothing is sent; equal times mean no quiet hours.</summary>
    public string QuietHoursEnd { get; set; } = "08:00";

    /// <summary>The day the facilitator's weekly digest goes out, at <see cref="SendAt"/> in their zone.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    /// <summary>How often each instance looks for reminders that are due.</summary>
    [Range(0.01, 1440)]
    public double ScanIntervalMinutes { get; set; } = 15;

    public TimeSpan ScanInterval => TimeSpan.FromMinutes(ScanIntervalMinutes);

    public TimeOnly SendAtTime => ParseTime(SendAt);

    public TimeOnly QuietStart => ParseTime(QuietHoursStart);

    public TimeOnly QuietEnd => ParseTime(QuietHoursEnd);

    public static bool IsTime(string? value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static TimeOnly ParseTime(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);
}
