using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Postmortems.GraphSync.Todo;

/// <summary>
/// Graph change notifications for the To Do lists: answers the validation handshake, checks each notification's
/// subscription, clientState (compared in constant time) and tenant, and queues the work (a coalesced "todo.pull"),
/// so Graph gets its 202 at once. Wrong notifications are ignored and logged, still with 202: an error would only make
/// Graph deliver them again.
/// </summary>
public sealed partial class TodoNotifications(TodoSyncStore store, TodoSync sync, IOptions<GraphOptions> graph, ILogger<TodoNotifications> logger)
{
    /// <summary>How many notifications of a delivery were accepted (the rest were ignored).</summary>
    public async Task<int> AcceptAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (!sync.IsOn || body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        int accepted = 0;
        foreach (var notification in value.EnumerateArray())
        {
            if (await AcceptOneAsync(notification, cancellationToken).ConfigureAwait(false))
            {
                accepted++;
            }
        }

        return accepted;
    }

    private async Task<bool> AcceptOneAsync(JsonElement notification, CancellationToken cancellationToken)
    {
        string? subscriptionId = Read(notification, "subscriptionId");
        var list = subscriptionId is null ? null : await store.FindBySubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (list?.ClientState is null)
        {
            LogIgnored(logger, "unknown subscription");
            return false;
        }

        if (!SameSecret(Read(notification, "clientState"), list.ClientState))
        {
            LogIgnored(logger, "wrong clientState");
            return false;
        }

        if (Read(notification, "tenantId") is { } tenant && graph.Value.TenantId is { } ours && !string.Equals(tenant, ours, StringComparison.OrdinalIgnoreCase))
        {
            LogIgnored(logger, "another tenant");
            return false;
        }

        switch (Read(notification, "lifecycleEvent"))
        {
            case null:
            case "missed":
                await sync.RequestPullAsync(list.TenantId, list.OwnerId, cancellationToken).ConfigureAwait(false);
                break;
            case "reauthorizationRequired":
                await sync.RequestSubscribeAsync(list.TenantId, list.OwnerId, SubscriptionMode.Renew, cancellationToken).ConfigureAwait(false);
                break;
            case "subscriptionRemoved":
                // The new subscription's handler reads the list once it is made, catching up on what was missed.
                await sync.RequestSubscribeAsync(list.TenantId, list.OwnerId, SubscriptionMode.Recreate, cancellationToken).ConfigureAwait(false);
                await sync.RequestPullAsync(list.TenantId, list.OwnerId, cancellationToken).ConfigureAwait(false);
                break;
            default:
                LogIgnored(logger, "unknown lifecycle event");
                return false;
        }

        return true;
    }

    private static string? Read(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

    private static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph notification ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);
}
