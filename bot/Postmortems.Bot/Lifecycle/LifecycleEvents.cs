using System.Text.Json;
using Postmortems.Core.Lifecycle;
using Postmortems.Core.Outbox;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.GraphSync.Meetings;

namespace Postmortems.Bot.Lifecycle;

/// <summary>
/// Moves a postmortem when something really happened: the postmortem meeting's invite went out (meeting scheduled,
/// with the meeting's start, from which it is in review). Follow-up meetings change nothing.
/// </summary>
public sealed class LifecycleEvents(PostmortemRepository postmortems, TimeProvider time) : IOutboxObserver
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SentAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Operation != MeetingScheduler.SendOperation || item.Result is null
            || JsonSerializer.Deserialize<MeetingSent>(item.Result, Json) is not { Kind: MeetingKind.Postmortem } sent)
        {
            return;
        }

        // Two tries: a postmortem changed meanwhile is read again once.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var postmortem = await postmortems.GetAsync(item.TenantId, item.PostmortemId, cancellationToken).ConfigureAwait(false);
            var outcome = postmortem is null ? null : PostmortemLifecycle.Apply(postmortem, new LifecycleRequest(LifecycleStep.InviteSent, By: null, time.GetUtcNow(), MeetingStart: sent.Start));
            if (outcome?.Moved is null || ReferenceEquals(outcome.Moved, postmortem)
                || (await postmortems.UpdateAsync(item.TenantId, outcome.Moved, cancellationToken).ConfigureAwait(false)).Status != WriteStatus.Conflict)
            {
                return;
            }
        }
    }

    public Task DeadLetteredAsync(OutboxItem item, CancellationToken cancellationToken) => Task.CompletedTask;
}
