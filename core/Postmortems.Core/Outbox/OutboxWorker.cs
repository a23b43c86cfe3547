using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Postmortems.Core.Storage;
using Postmortems.Core.Telemetry;

namespace Postmortems.Core.Outbox;

/// <summary>
/// Sends what the outbox holds, in every app instance: claims due items with a lease, sends each through its
/// handler, and records the outcome. Failures worth retrying wait for the service's Retry-After, or back off
/// exponentially; refusals, and items that failed <see cref="OutboxOptions.MaxAttempts"/> times, are dead-lettered and
/// the chat is told. Items are sent one at a time per instance: Outlook allows only 4 concurrent requests per mailbox.
/// </summary>
public sealed partial class OutboxWorker : BackgroundService
{
    private const int BatchSize = 10;

    /// <summary>Why an at-most-once item that may have been delivered is not sent again.</summary>
    internal const string Uncertain = "It may already have been delivered (the try stopped before Teams' answer was recorded), so it is not sent again: nobody gets it twice";
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly OutboxStore _store;
    private readonly Dictionary<string, IOutboxHandler> _handlers;
    private readonly IReadOnlyList<IOutboxObserver> _observers;
    private readonly OutboxOptions _options;
    private readonly OutboxSignal _signal;
    private readonly StorageReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxWorker> _logger;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public OutboxWorker(
        OutboxStore store,
        IEnumerable<IOutboxHandler> handlers,
        IEnumerable<IOutboxObserver> observers,
        IOptions<OutboxOptions> options,
        OutboxSignal signal,
        StorageReadiness readiness,
        TimeProvider time,
        ILogger<OutboxWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);
        _observers = [.. observers];
        _options = options.Value;
        _signal = signal;
        _readiness = readiness;
        _time = time;
        _logger = logger;
    }

    /// <summary>This instance's name on the leases it takes.</summary>
    public string InstanceId { get; } = NewInstanceId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int handled = 0;
            try
            {
                // Until the tables exist (storage may come up after the app) there is nothing to read.
                if (_readiness.TablesCreated)
                {
                    handled = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnavailable(_logger, ex);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // The table was deleted under us; the table initializer creates tables only at start-up.
                LogStorageUnavailable(_logger, ex);
            }

            if (handled < BatchSize)
            {
                await _signal.WaitAsync(_options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Claims and sends the items due now; returns how many it handled. Tests call it directly.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPurge >= PurgeEvery)
        {
            _lastPurge = now;
            int purged = await StorageCalls.Run(() => _store.PurgeFinishedAsync(now.AddDays(-_options.RetentionDays), cancellationToken), cancellationToken).ConfigureAwait(false);
            if (purged > 0)
            {
                LogPurged(_logger, purged);
            }
        }

        var claimed = await _store.ClaimDueAsync(InstanceId, _options.Lease, BatchSize, cancellationToken).ConfigureAwait(false);
        ProductTelemetry.OutboxPolled(claimed.Count, claimed.Count == 0 ? null : claimed.Min(i => i.NextAttemptAt), now);
        foreach (var item in claimed)
        {
            await SendAsync(item, cancellationToken).ConfigureAwait(false);
        }

        return claimed.Count;
    }

    private async Task SendAsync(OutboxItem item, CancellationToken stoppingToken)
    {
        using var job = ProductTelemetry.StartOutboxJob(item.Operation, item.Id, item.Attempts + 1);
        if (!_handlers.TryGetValue(item.Operation, out var handler))
        {
            await GiveUpAsync(item, $"No handler for “{item.Operation}”.", stoppingToken).ConfigureAwait(false);
            return;
        }

        var once = handler as IAtMostOnceOutboxHandler;
        if (once is not null && item.DeliveryStartedAt is { } started)
        {
            // An earlier try handed it to the service and stopped before recording what happened (a crash, a lost
            // lease): it may have arrived, so it is never sent again (at most once).
            await GiveUpAsync(item, $"{Uncertain} (the try began {started:u}).", stoppingToken).ConfigureAwait(false);
            return;
        }

        // The item as last written: marking the delivery changes its ETag, and the outcome is written over that.
        var current = item;
        bool delivering = false;
        async Task DeliveryStartingAsync(CancellationToken cancellationToken)
        {
            current = await _store.MarkDeliveryStartedAsync(current, cancellationToken).ConfigureAwait(false) ?? throw new OutboxLeaseLostException();
            delivering = true;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        attempt.CancelAfter(_options.AttemptTimeout);
        try
        {
            string? result = once is not null
                ? await once.SendAsync(item, DeliveryStartingAsync, attempt.Token).ConfigureAwait(false)
                : await handler.SendAsync(item, attempt.Token).ConfigureAwait(false);
            if (await _store.CompleteAsync(current, result, stoppingToken).ConfigureAwait(false))
            {
                LogSent(_logger, item.Operation, item.Id, item.Attempts + 1);
                ProductTelemetry.OutboxJobEnded(item.Operation, OutboxOutcomes.Sent);
                await TellAsync(o => o.SentAsync(current with { Status = OutboxStatus.Sent, Result = result, Attempts = item.Attempts + 1 }, stoppingToken)).ConfigureAwait(false);
            }
        }
        catch (OutboxLeaseLostException)
        {
            // Another instance holds it now; nothing was sent from here.
        }
        catch (ExternalCallException ex) when (!ex.IsTransient)
        {
            await GiveUpAsync(current, ex.Message, stoppingToken).ConfigureAwait(false);
        }
        catch (ExternalCallException ex) when (!delivering || ex.Status is not null)
        {
            // Not handed over yet, or the service answered with a refusal: nothing was delivered, so trying again is safe.
            await RetryOrGiveUpAsync(current, ex.Message, ex.RetryAfter, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (delivering && !stoppingToken.IsCancellationRequested && ex is ExternalCallException or OperationCanceledException)
        {
            // No answer after handing it over (a timeout, the network): it may have arrived, so not again.
            await GiveUpAsync(current, $"{Uncertain} ({ex.Message})", stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            await RetryOrGiveUpAsync(current, $"No answer within {_options.AttemptTimeout.TotalSeconds:0.#} seconds.", null, stoppingToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException ex)
        {
            // Our own storage failed mid-send; the lease runs out and the item is tried again (sends are idempotent;
            // an at-most-once item marked as being delivered is then given up on instead).
            LogStorageUnavailable(_logger, ex);
        }
#pragma warning disable CA1031 // A bug in one handler must not stop the worker; the item is retried and then dead-lettered.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogUnexpected(_logger, ex, item.Operation, item.Id);
            if (delivering)
            {
                await GiveUpAsync(current, Uncertain, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await RetryOrGiveUpAsync(current, "Something unexpected went wrong while sending.", null, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RetryOrGiveUpAsync(OutboxItem item, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        int attempts = item.Attempts + 1;
        if (attempts >= _options.MaxAttempts)
        {
            await GiveUpAsync(item, $"{error} (gave up after {attempts} tries)", cancellationToken).ConfigureAwait(false);
            return;
        }

        // Retry-After is what the service asked for (Graph and Bot Connector throttling guidance): wait exactly that; else back off.
        var wait = retryAfter ?? _options.BackoffAfter(attempts, Random.Shared.NextDouble());
        LogRetry(_logger, item.Operation, item.Id, attempts, wait.TotalSeconds, error);
        ProductTelemetry.OutboxJobEnded(item.Operation, OutboxOutcomes.Retry);
        await _store.RetryLaterAsync(item, error, _time.GetUtcNow() + wait, cancellationToken).ConfigureAwait(false);
    }

    private async Task GiveUpAsync(OutboxItem item, string error, CancellationToken cancellationToken)
    {
        if (await _store.DeadLetterAsync(item, error, cancellationToken).ConfigureAwait(false))
        {
            LogDeadLettered(_logger, item.Operation, item.Id, error);
            ProductTelemetry.OutboxJobEnded(item.Operation, OutboxOutcomes.DeadLettered);
            await TellAsync(o => o.DeadLetteredAsync(item with { Status = OutboxStatus.DeadLettered, LastError = error, Attempts = item.Attempts + 1 }, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Telling the chat is best effort: the item's state is already recorded.</summary>
    private async Task TellAsync(Func<IOutboxObserver, Task> tell)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await tell(observer).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An observer's failure (the chat unreachable) must not undo or repeat a send.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogObserverFailed(_logger, ex, observer.GetType().Name);
            }
        }
    }

    /// <summary>Unique per process (a GUID), with the machine and process for people reading the table.</summary>
    private static string NewInstanceId()
    {
        string id = $"{Guid.NewGuid():N}-{Environment.ProcessId}-{Environment.MachineName}";
        return id.Length <= 100 ? id : id[..100];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Count} finished items past their retention deleted")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Operation} {Id} sent after {Attempts} tries")]
    private static partial void LogSent(ILogger logger, string operation, string id, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Operation} {Id} failed (try {Attempts}); retrying in {Seconds} s: {Error}")]
    private static partial void LogRetry(ILogger logger, string operation, string id, int attempts, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Operation} {Id} dead-lettered: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string operation, string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: storage unavailable")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox {Operation} {Id}: unexpected failure")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string operation, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox observer {Observer} failed")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
