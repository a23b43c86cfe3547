namespace Postmortems.Testing;

/// <summary>Waits for something a background job does, polling with a generous deadline (never a fixed sleep).</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 90)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {seconds} s.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }
}
