namespace Postmortems.Core.Outbox;

/// <summary>Wakes this instance's worker as soon as something is enqueued here, so the user does not wait for a poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed and not yet seen: one wake-up is enough.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var delay = new CancellationTokenSource(timeout, time);
        using var registration = delay.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), timer);
        try
        {
            await _signal.WaitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }

    public void Dispose() => _signal.Dispose();
}
