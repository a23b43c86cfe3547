namespace Postmortems.Core.Storage;

/// <summary>Whether the tables have been created since start-up, and a way to wait for it.</summary>
public sealed class StorageReadiness
{
    private readonly TaskCompletionSource _tablesCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TablesCreated => _tablesCreated.Task.IsCompleted;

    public void MarkTablesCreated() => _tablesCreated.TrySetResult();

    /// <summary>
    /// Waits until the tables exist or <paramref name="limit"/> passes, whichever is first; true when they exist.
    /// Requests that arrive while a fresh instance is still creating its tables wait here instead of failing with
    /// "table not found".
    /// </summary>
    public async Task<bool> WaitForTablesAsync(TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (TablesCreated)
        {
            return true;
        }

        try
        {
            await _tablesCreated.Task.WaitAsync(limit, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
