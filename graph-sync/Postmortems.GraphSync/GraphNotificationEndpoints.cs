using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Postmortems.GraphSync.Todo;

namespace Postmortems.GraphSync;

public static class GraphNotificationEndpoints
{
    /// <summary>The biggest notification delivery read; Graph sends at most a few KB per notification.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// POST /api/graph/notifications and /api/graph/lifecycle: Graph's validation handshake and change and lifecycle
    /// notifications for the To Do sync. Anonymous: Graph authenticates with the per-subscription clientState.
    /// </summary>
    private const int MaxValidationTokenLength = 2048;

    public static IEndpointRouteBuilder MapGraphNotifications(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(TodoSync.NotificationsPath, HandleAsync).AllowAnonymous();
        app.MapPost(TodoSync.LifecyclePath, HandleAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, TodoNotifications notifications)
    {
        // The handshake: Graph sends validationToken in the query and wants it back, decoded, as plain text within 10 s.
        if (context.Request.Query.TryGetValue("validationToken", out var token))
        {
            // Graph's tokens are short opaque strings; a long one is not Graph's, and is not echoed back.
            return token.ToString().Length <= MaxValidationTokenLength
                ? Results.Text(token.ToString(), "text/plain", Encoding.UTF8, StatusCodes.Status200OK)
                : Results.BadRequest();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // A body without Content-Length (chunked) is held to the same limit while it is read.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        await notifications.AcceptAsync(body, context.RequestAborted).ConfigureAwait(false);
        return Results.Accepted();
    }
}
