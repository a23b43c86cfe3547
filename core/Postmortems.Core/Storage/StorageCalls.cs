using Azure;

namespace Postmortems.Core.Storage;

/// <summary>
/// Turns "storage is down" failures (no connection, timeouts, 5xx after the client's own retries) into one
/// <see cref="StorageUnavailableException"/>, so callers can tell the user "not saved, try again" instead of failing
/// with whatever the transport threw. Answers such as 404 or 412 pass through: they are outcomes, not outages.
/// <para>
/// The request's deadline (<see cref="StorageRequest"/>) passing is an outage too. What a cancelled write means: the
/// Azure.Data.Tables transport (HttpClient) aborts the connection when the token is cancelled, but a request whose bytes
/// already reached the service may still be carried out there, so a cancelled write is NOT undone for real. That is why
/// every add the user can repeat is idempotent: its row key comes from the card (the card id and the author,
/// <c>PostmortemContext.ItemIdFor</c>; a new postmortem's id from the activity), the "not saved" card keeps that card id,
/// and pressing it again lands on the same row: an add that did reach storage answers "already exists" with the stored
/// copy (reported as saved, which is what really happened), an add that did not is made now. An edit is conditional on
/// the version read (If-Match), so a repeat after a write that did land is recognised by its content
/// (<see cref="PostmortemItemStore{T}.UpdateAsync"/>) and reported as saved rather than as someone else's change.
/// </para>
/// </summary>
public static class StorageCalls
{
    public static async Task<T> Run<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageRequest.IsDeadline(ex))
        {
            throw new StorageUnavailableException("Storage did not answer before the request's deadline.", ex);
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
