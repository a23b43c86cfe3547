using System.Globalization;
using System.Security.Claims;
using Azure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Tabs.Auth;

namespace Postmortems.Tabs.Api;

/// <summary>The postmortems list, one postmortem, and its actions.</summary>
public static class PostmortemsApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    public static RouteGroupBuilder MapPostmortemsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/postmortems", ListAsync);
        api.MapGet("/postmortems/{id}", GetAsync);
        api.MapGet("/postmortems/{id}/actions", ListActionsAsync);
        return api;
    }

    public static DateOnly TodayUtc(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    private static async Task<Results<JsonHttpResult<PostmortemListResponse>, ProblemHttpResult>> ListAsync(
        string? status,
        string? pageSize,
        string? continuation,
        ClaimsPrincipal user,
        PostmortemRepository postmortems,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (status is not (null or "open" or "closed"))
        {
            errors.Add(new FieldError("status", "Please ask for open or closed postmortems, or leave status out."));
        }

        int size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors.Add(new FieldError("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}."));
        }

        if (continuation is { Length: > 2048 })
        {
            errors.Add(new FieldError("continuation", "This continuation token is not one we gave out."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "The list can't be read with these values.");
        }

        var caller = TabCaller.From(user);
        PostmortemPage page;
        try
        {
            page = status switch
            {
                "open" => await postmortems.ListNotClosedAsync(caller.TenantId, size, continuation, cancellationToken).ConfigureAwait(false),
                "closed" => await postmortems.ListAsync(caller.TenantId, PostmortemStatus.Closed, size, continuation, cancellationToken).ConfigureAwait(false),
                _ => await postmortems.ListAsync(caller.TenantId, null, size, continuation, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status400BadRequest)
        {
            return Problems.Invalid([new FieldError("continuation", "This continuation token is not one we gave out.")], "The list can't be read with these values.");
        }

        return TypedResults.Json(new PostmortemListResponse([.. page.Items.Select(PostmortemListItem.From)], page.ContinuationToken), TabJson.Options);
    }

    private static async Task<Results<JsonHttpResult<PostmortemResponse>, ProblemHttpResult>> GetAsync(
        string id,
        ClaimsPrincipal user,
        PostmortemDocumentReader reader,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var document = await reader.ReadAsync(TabCaller.From(user).TenantId, id, cancellationToken).ConfigureAwait(false);
        return document is null
            ? Problems.NotFound()
            : TypedResults.Json(PostmortemResponse.From(document with { Postmortem = Core.Lifecycle.PostmortemLifecycle.CatchUp(document.Postmortem, time.GetUtcNow()) }, TodayUtc(time)), TabJson.Options);
    }

    private static async Task<Results<JsonHttpResult<ItemsResponse<ActionResponse>>, ProblemHttpResult>> ListActionsAsync(
        string id,
        ClaimsPrincipal user,
        PostmortemRepository postmortems,
        PostmortemItemStore<ActionItem> actions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = TabCaller.From(user);
        var postmortemTask = postmortems.GetAsync(caller.TenantId, id, cancellationToken);
        var actionsTask = actions.ListAsync(caller.TenantId, id, cancellationToken);
        var postmortem = await postmortemTask.ConfigureAwait(false);
        var items = await actionsTask.ConfigureAwait(false);
        if (postmortem is null)
        {
            return Problems.NotFound();
        }

        var today = TodayUtc(time);
        return TypedResults.Json(
            new ItemsResponse<ActionResponse>([.. items.OrderBy(a => a.DueDate).ThenBy(a => a.CreatedAt).Select(a => ActionResponse.From(a, postmortem.Title, today))]),
            TabJson.Options);
    }
}
