namespace Postmortems.Core.Storage;

/// <summary>Storage could not be reached or answered with a server error after the client's retries. Nothing was saved.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : base("Storage is not reachable right now. Nothing was saved.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
