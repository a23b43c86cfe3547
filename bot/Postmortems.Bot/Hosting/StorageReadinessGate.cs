using Postmortems.Core.Storage;

namespace Postmortems.Bot.Hosting;

/// <summary>
/// A fresh instance creates its tables in the background (<see cref="TableInitializer"/>) while it already listens,
/// so a Teams message or tab call arriving in those first seconds would meet "table not found". Such a request waits
/// for the tables for a short, bounded time first; the health check does not wait (it reports readiness itself).
/// </summary>
public static class StorageReadinessGate
{
    /// <summary>
    /// Short enough that the wait plus the request's own storage deadline (at most 10 s by default) stays inside the
    /// 15 s Teams gives an invoke; table creation takes well under a second on a reachable account.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public static WebApplication UseStorageReadinessGate(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var readiness = app.Services.GetRequiredService<StorageReadiness>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            // When the wait ends without tables the request goes on: storage is then really unreachable, and the
            // request's own handling answers that clearly (503 or "not saved, try again").
            if (!readiness.TablesCreated && !context.Request.Path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase))
            {
                await readiness.WaitForTablesAsync(Limit, time, context.RequestAborted).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
        });
        return app;
    }
}
