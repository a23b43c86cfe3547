using Microsoft.Extensions.Caching.Memory;

namespace Postmortems.Bot.Conversations;

/// <summary>
/// Activity ids seen in the last minutes, so a redelivered message (the channel retries on timeouts; delivery is
/// at least once) is not answered twice by this instance. Records are protected separately by deterministic ids.
/// </summary>
public sealed class RecentActivities : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _seen = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>True the first time a (conversation, activity id) pair is seen; false for a repeat.</summary>
    public bool IsFirstDelivery(string conversationId, string? activityId)
    {
        if (string.IsNullOrEmpty(activityId))
        {
            return true;
        }

        string key = conversationId + "\n" + activityId;
        bool first = false;
        _seen.GetOrCreate(key, entry =>
        {
            first = true;
            entry.SetSize(1).SetAbsoluteExpiration(Window);
            return true;
        });
        return first;
    }

    public void Dispose() => _seen.Dispose();
}
