using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Postmortems.Bot.Conversations;
using Postmortems.Bot.Protocol.Auth;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Protocol;

/// <summary>
/// POST /api/messages: the Bot Framework messaging endpoint. Checks size, shape and authentication before anything
/// is stored or sent, so a rejected request has no side effect.
/// </summary>
public static partial class MessagesEndpoint
{
    public static IEndpointRouteBuilder MapBotMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        IOptions<BotOptions> options,
        IServiceProvider services,
        ActivityDispatcher dispatcher,
        TrustedServiceUrls trusted,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(MessagesEndpoint));
        var bot = options.Value;
        string? authorization = context.Request.Headers.Authorization;

        // Rejected before the body is read: in local mode anything not from this machine, otherwise anything unsigned.
        if (bot.IsLocalMode ? !IsLoopback(context.Connection.RemoteIpAddress) : string.IsNullOrEmpty(authorization))
        {
            LogRejected(logger, bot.IsLocalMode ? "local mode accepts only loopback callers" : "no Authorization header");
            return Results.Unauthorized();
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The activity is too large.");
        }

        var (activity, error) = ActivityReader.Read(body);
        if (activity is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: error);
        }

        if (bot.IsLocalMode)
        {
            // Local mode sends no token, but it must not become a way to make this app call other hosts.
            if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || !serviceUrl.IsLoopback)
            {
                LogRejected(logger, "local mode replies only to a service URL on this machine");
                return Results.Unauthorized();
            }
        }
        else
        {
            var validator = services.GetRequiredService<BotTokenValidator>();
            var result = await validator.ValidateAsync(authorization, activity, cancellationToken).ConfigureAwait(false);
            if (!result.IsValid)
            {
                LogRejected(logger, result.FailureReason ?? "invalid token");
                return Results.Unauthorized();
            }
        }

        string? tenantId = activity.TenantId;
        if (!Ids.IsValidKeyPart(tenantId))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The activity has no valid tenant id (channelData.tenant.id).");
        }

        trusted.Trust(activity.ServiceUrl!);
        try
        {
            var invokeResponse = await dispatcher.HandleAsync(activity, tenantId!, cancellationToken).ConfigureAwait(false);
            return invokeResponse is null
                ? Results.Ok()
                : Results.Json(invokeResponse.Body, ProtocolJson.Options, statusCode: invokeResponse.Status);
        }
        catch (StorageUnavailableException)
        {
            // Only what the dispatcher does not answer itself reaches here (e.g. forgetting an uninstalled conversation).
            return activity.Type == ActivityTypes.Invoke
                ? Results.Json(InvokeResponse.ActionError(503, "ServiceUnavailable", ActivityDispatcher.StorageDownInvokeText).Body, ProtocolJson.Options)
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The body, or null when it exceeds <see cref="ActivityReader.MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ActivityReader.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > ActivityReader.MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
