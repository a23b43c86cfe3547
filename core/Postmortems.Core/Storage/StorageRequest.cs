namespace Postmortems.Core.Storage;

/// <summary>
/// The storage side of one request the user waits for (a Teams message or card press): ONE overall deadline for every
/// storage call of the request, retries included, and whether something the user asked for was already saved.
/// <para>
/// Teams gives an invoke 15 s. A card save makes several storage calls and Azure.Data.Tables retries each of them
/// (<see cref="StorageServiceCollectionExtensions.CreateServiceClient"/>), so per-call timeouts alone can add up past
/// that when storage hangs. Every call of the request gets <see cref="Token"/>, which is cancelled when the deadline
/// passes; <see cref="StorageCalls"/> then turns the cancellation into <see cref="StorageUnavailableException"/> (the
/// "not saved, try again" path with the user's text kept) instead of a cancellation, while a caller that hung up
/// (the request was aborted) still sees a plain cancellation.
/// </para>
/// <para>
/// The scope is found through an async-local (<see cref="Current"/>) so the stores need no extra parameter: it flows
/// into every call made from the code that started it, and ends with <see cref="Dispose"/>.
/// </para>
/// </summary>
public sealed class StorageRequest : IDisposable
{
    private static readonly AsyncLocal<StorageRequest?> Scope = new();

    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _aborted;
    private readonly StorageRequest? _outer;
    private int _saved;

    private StorageRequest(TimeSpan budget, CancellationToken aborted)
    {
        _aborted = aborted;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _deadline.CancelAfter(budget);
        _outer = Scope.Value;
        Scope.Value = this;
    }

    /// <summary>The request in progress on this flow of work, or null (a background job: no request deadline).</summary>
    public static StorageRequest? Current => Scope.Value;

    /// <summary>Cancelled when the deadline passes or the caller hangs up. Pass it to every storage call of the request.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>The deadline passed while the caller was still waiting: answer "not saved, try again" now.</summary>
    public bool HasExpired => _deadline.IsCancellationRequested && !_aborted.IsCancellationRequested;

    /// <summary>Something the user asked for was stored in this request (an item or a postmortem): from now on, a failure must not be answered "not saved".</summary>
    public bool SavedSomething => Volatile.Read(ref _saved) == 1;

    /// <summary>
    /// True unless the request in progress already saved something: the filter of every "not saved, try again" answer,
    /// so a failure after the save (a read for the reply card, say) is not answered "not saved".
    /// </summary>
    public static bool NothingSavedYet => Current is not { SavedSomething: true };

    /// <summary>Starts the request's deadline on this flow of work; dispose it when the request is answered.</summary>
    public static StorageRequest Start(TimeSpan budget, CancellationToken aborted) => new(budget, aborted);

    /// <summary>Called by the stores after a user's write was acknowledged by storage.</summary>
    public static void MarkSaved()
    {
        if (Current is { } request)
        {
            Volatile.Write(ref request._saved, 1);
        }
    }

    /// <summary>
    /// True when <paramref name="exception"/> is this flow's request deadline passing, not the caller hanging up. The
    /// storage client reports a cancellation during its retries as an AggregateException of every try's failure.
    /// </summary>
    public static bool IsDeadline(Exception exception) =>
        Current is { HasExpired: true }
        && exception is OperationCanceledException or AggregateException { InnerExceptions: [.., OperationCanceledException] };

    public void Dispose()
    {
        if (Scope.Value == this)
        {
            Scope.Value = _outer;
        }

        _deadline.Dispose();
    }
}
