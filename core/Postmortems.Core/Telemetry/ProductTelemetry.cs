using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Postmortems.Core.Telemetry;

/// <summary>
/// The product's own metrics and traces, in one place: the "Postmortems" meter and activity source. Names follow the
/// OpenTelemetry semantic-convention style (dotted, lower case, unit in the metadata). Recording costs next to nothing
/// while nobody listens: the host subscribes only when telemetry is exported (see the README, Telemetry).
/// Tags have few values (a card verb, a meeting kind, an outcome): never ids or user text, which would make every
/// point its own series.
/// </summary>
public static class ProductTelemetry
{
    /// <summary>The name of both the meter and the activity source.</summary>
    public const string Name = "Postmortems";

    private static readonly Meter Meter = new(Name);

    private static readonly ActivitySource Source = new(Name);

    private static readonly Counter<long> CardsSubmitted = Meter.CreateCounter<long>(
        "postmortems.cards.submitted", "{submission}", "Card buttons pressed (Action.Execute) that reached a handler, by verb.");

    private static readonly Counter<long> InvitesSent = Meter.CreateCounter<long>(
        "postmortems.invites.sent", "{invite}", "Meeting invites created or updated in the organizer's calendar (or written as .ics), by meeting kind.");

    private static readonly Counter<long> RemindersSent = Meter.CreateCounter<long>(
        "postmortems.reminders.sent", "{message}", "Reminder messages posted to people's 1:1 chats, by kind (action, digest).");

    private static readonly Counter<long> GraphThrottled = Meter.CreateCounter<long>(
        "postmortems.graph.throttled", "{response}", "429 Too Many Requests answers from Microsoft Graph.");

    private static readonly Counter<long> OutboxJobs = Meter.CreateCounter<long>(
        "postmortems.outbox.jobs", "{job}", "Outbox tries, by operation and outcome (sent, retry, dead_lettered).");

    private static long _outboxDue;
    private static long _outboxOldestDueTicks;

    static ProductTelemetry()
    {
        // What the worker saw on its last poll (no storage read of its own: a collection must not scan the table).
        Meter.CreateObservableGauge(
            "postmortems.outbox.depth", () => Interlocked.Read(ref _outboxDue), "{job}", "Jobs due that this instance claimed on its last poll (at most one batch).");
        Meter.CreateObservableGauge(
            "postmortems.outbox.oldest_age", () => TimeSpan.FromTicks(Interlocked.Read(ref _outboxOldestDueTicks)).TotalSeconds, "s", "How long the most overdue job claimed on the last poll had waited past its due time.");
    }

    /// <summary>The tag that says which card button was pressed.</summary>
    public const string VerbTag = "verb";

    /// <summary>The tag for a meeting kind or a reminder kind.</summary>
    public const string KindTag = "kind";

    public const string OperationTag = "postmortems.outbox.operation";

    public const string AttemptTag = "postmortems.outbox.attempt";

    public const string OutcomeTag = "postmortems.outbox.outcome";

    /// <summary>The name of the activity around one outbox try.</summary>
    public const string OutboxJobActivity = "outbox.job";

    /// <param name="verb">A verb the bot registered (never the raw verb from the request: that is user input).</param>
    public static void CardSubmitted(string verb) => CardsSubmitted.Add(1, new KeyValuePair<string, object?>(VerbTag, verb));

    public static void InviteSent(string kind) => InvitesSent.Add(1, new KeyValuePair<string, object?>(KindTag, kind));

    public static void ReminderSent(string kind) => RemindersSent.Add(1, new KeyValuePair<string, object?>(KindTag, kind));

    /// <summary>Microsoft Graph answered with an error status; 429 (throttled) is counted.</summary>
    public static void GraphRefused(int status)
    {
        if (status == 429)
        {
            GraphThrottled.Add(1);
        }
    }

    /// <summary>What the outbox worker read on a poll: how many due jobs it claimed, and when the most overdue was due.</summary>
    public static void OutboxPolled(int claimed, DateTimeOffset? oldestDue, DateTimeOffset now)
    {
        Interlocked.Exchange(ref _outboxDue, claimed);
        Interlocked.Exchange(ref _outboxOldestDueTicks, oldestDue is { } due && due < now ? (now - due).Ticks : 0);
    }

    /// <summary>
    /// Starts the activity around one outbox try (null while nobody listens). Ids are fine on a span, unlike on a metric.
    /// </summary>
    /// <param name="attempt">This try's number, 1 for the first.</param>
    public static Activity? StartOutboxJob(string operation, string id, int attempt)
    {
        var activity = Source.StartActivity(OutboxJobActivity, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"outbox {operation}";
            activity.SetTag(OperationTag, operation);
            activity.SetTag(AttemptTag, attempt);
            activity.SetTag("postmortems.outbox.id", id);
        }

        return activity;
    }

    /// <summary>Records how an outbox try ended, on the current outbox activity and the jobs counter.</summary>
    public static void OutboxJobEnded(string operation, string outcome)
    {
        OutboxJobs.Add(1, new KeyValuePair<string, object?>(OperationTag, operation), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        if (Activity.Current is { } activity && activity.Source == Source && activity.OperationName == OutboxJobActivity)
        {
            activity.SetTag(OutcomeTag, outcome);
            if (outcome == OutboxOutcomes.DeadLettered)
            {
                activity.SetStatus(ActivityStatusCode.Error, "dead-lettered");
            }
        }
    }
}

/// <summary>How an outbox try ended (the values of <see cref="ProductTelemetry.OutcomeTag"/>).</summary>
public static class OutboxOutcomes
{
    public const string Sent = "sent";

    public const string Retry = "retry";

    public const string DeadLettered = "dead_lettered";
}
