using Azure;

namespace Postmortems.Core.Storage;

/// <summary>
/// Turns "storage is down" failures (no connection, timeouts, 5xx after the client's own retries) into one
/// <see cref="StorageUnavailableException"/>, so callers can tell the user "not saved, try again" instead of failing
/// with whatever the transport threw. Answers such as 404 or 412 pass through: they are outcomes, not outages.
/// </summary>
public static class StorageCalls
{
    public static async Task<T> Run<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            throw new StorageUnavailableException("Storage is not reachable right now. Nothing was saved.", ex);
        }
    }

    private static bool IsOutage(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        RequestFailedException { Status: 0 or >= 500 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsOutage(e, cancellationToken)),
        HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
