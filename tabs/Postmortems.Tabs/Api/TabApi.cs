using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postmortems.Core.Storage;
using Postmortems.Tabs.Auth;
using Postmortems.Tabs.Export;

namespace Postmortems.Tabs.Api;

public static partial class TabApi
{
    /// <summary>Maps the routes of tabs/API.md; the host calls it through <see cref="TabsEndpointRouteBuilderExtensions.MapTabApi"/>.</summary>
    public static IEndpointRouteBuilder MapRoutes(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api")
            .RequireAuthorization(TabAuthentication.Policy)
            .AddEndpointFilter(ProblemsForFailuresAsync);

        api.MapGet("/me", (System.Security.Claims.ClaimsPrincipal user) =>
        {
            var caller = TabCaller.From(user);
            return TypedResults.Json(new MeResponse(caller.TenantId, caller.UserId, caller.Name), TabJson.Options);
        });
        api.MapPostmortemsApi();
        api.MapActionsApi();
        api.MapExportApi();
        api.MapSearchApi();
        api.MapOverviewApi();
        return app;
    }

    /// <summary>
    /// Answers are personal data, so nothing is cached on the way. A storage outage and any unexpected failure become
    /// problem details without internals (the developer exception page never sees them).
    /// </summary>
    private static async ValueTask<object?> ProblemsForFailuresAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(Logger(http), ex, http.Request.Path);
            return Problems.StorageUnavailable();
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            LogFailed(Logger(http), ex, http.Request.Method, http.Request.Path);
            return Problems.Failed();
        }
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Postmortems.Tabs.Api");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tab API {Path}: storage is not reachable")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tab API {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
