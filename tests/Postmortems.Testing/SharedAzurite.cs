namespace Postmortems.Testing;

/// <summary>
/// One Azurite per test assembly, started on first use. Tests keep apart by using their own tenant ids.
/// Call <see cref="StopAsync"/> from the assembly's cleanup.
/// </summary>
public static class SharedAzurite
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static AzuriteServer? _server;

    public static async Task<AzuriteServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _server ??= await AzuriteServer.StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
