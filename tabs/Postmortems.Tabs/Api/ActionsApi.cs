using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
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

/// <summary>Changing an action (status, due date, owner) with If-Match, and the caller's own open actions.</summary>
public static class ActionsApi
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>"My actions" comes in pages of this many actions unless the caller asks for another size.</summary>
    public const int DefaultMyActionsPageSize = 50;

    public const int MaxMyActionsPageSize = 100;

    public static RouteGroupBuilder MapActionsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPatch("/postmortems/{id}/actions/{actionId}", PatchAsync);
        api.MapGet("/me/actions", MyActionsAsync);
        return api;
    }

    private static async Task<Results<JsonHttpResult<ActionResponse>, ProblemHttpResult>> PatchAsync(
        string id,
        string actionId,
        HttpContext http,
        PostmortemRepository postmortems,
        PostmortemItemStore<ActionItem> actions,
            TimeProvider time,
        CancellationToken cancellationToken)
    {
        string ifMatch = http.Request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0 || ifMatch == "*")
        {
            return Problems.PreconditionRequired();
        }

        var (body, bodyProblem) = await ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (change, changeErrors) = ActionChange.Parse(body);
        if (change is null)
        {
            return Problems.Invalid(changeErrors);
        }

        var caller = TabCaller.From(http.User);
        var postmortemTask = postmortems.GetAsync(caller.TenantId, id, cancellationToken);
        var storedTask = actions.GetAsync(caller.TenantId, id, actionId, cancellationToken);
        var postmortem = await postmortemTask.ConfigureAwait(false);
        var stored = await storedTask.ConfigureAwait(false);
        if (postmortem is null || stored is null)
        {
            return Problems.NotFound();
        }

        var now = time.GetUtcNow();
        var todayUtc = PostmortemsApi.TodayUtc(time);
        if (stored.ETag != ifMatch)
        {
            return Changed(http, ActionResponse.From(stored, postmortem.Title, todayUtc));
        }

        var (changed, errors) = Apply(stored, change, now);
        if (changed is null)
        {
            return Problems.Invalid(errors);
        }

        var result = await actions.UpdateAsync(caller.TenantId, changed with { ETag = ifMatch }, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case WriteStatus.Saved:
                var saved = ActionResponse.From(result.Value!, postmortem.Title, todayUtc);
                http.Response.Headers.ETag = saved.ETag;
                return TypedResults.Json(saved, TabJson.Options);
            case WriteStatus.Conflict when result.Value is { } current:
                return Changed(http, ActionResponse.From(current, postmortem.Title, todayUtc));
            case WriteStatus.Invalid:
                return Problems.Invalid(result.Errors);
            default:
                return Problems.NotFound();
        }
    }

    /// <summary>
    /// One page of the caller's open and in-progress actions in this tenant, from the owner index (a point read of
    /// its stamp when the list is known): overdue first, then by due date. The page's size is bounded, whatever the
    /// caller owns; the token carries on after the page's last action.
    /// </summary>
    private static async Task<Results<JsonHttpResult<ActionsPageResponse>, ProblemHttpResult>> MyActionsAsync(
        string? pageSize,
        string? continuationToken,
        ClaimsPrincipal user,
        ActionsByOwnerIndex index,
        MyActionsContinuation continuations,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = TabCaller.From(user);
        var errors = new List<FieldError>();
        int size = DefaultMyActionsPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxMyActionsPageSize))
        {
            errors.Add(new FieldError("pageSize", $"pageSize must be a whole number from 1 to {MaxMyActionsPageSize}."));
        }

        OwnedActionPosition? after = null;
        if (continuationToken is not null && (after = continuations.Read(caller.TenantId, caller.UserId, continuationToken)) is null)
        {
            errors.Add(new FieldError("continuationToken", "This continuation token is not one we gave you. Load your actions from the start."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Your actions can't be read with these values.");
        }

        var today = PostmortemsApi.TodayUtc(time);
        var page = await index.PageAsync(caller.TenantId, caller.UserId, after, size, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new ActionsPageResponse(
                [.. page.Items.Select(o => ActionResponse.From(o.Action, o.PostmortemTitle, today))],
                page.Next is null ? null : continuations.Create(caller.TenantId, caller.UserId, page.Next)),
            TabJson.Options);
    }

    /// <summary>
    /// The change on top of the stored action, checked by the same rules as the chat's form: a status moves through
    /// <see cref="ActionItemRules.MoveTo"/> (an undo of "done" or "won't do" through <see cref="ActionItemRules.UndoFinish"/>); a due date in the past is refused only when it changes, against the
    /// date in UTC-12, so nobody anywhere is refused their own today (the tab does not know the user's zone).
    /// </summary>
    private static (ActionItem? Changed, IReadOnlyList<FieldError> Errors) Apply(ActionItem stored, ActionChange change, DateTimeOffset now)
    {
        var item = stored;
        if (change.Status is { } status)
        {
            var (moved, error) = change.UndoesFinish ? ActionItemRules.UndoFinish(item, status, now) : ActionItemRules.MoveTo(item, status, now);
            if (moved is null)
            {
                return (null, [error!]);
            }

            item = moved;
        }

        item = item with
        {
            DueDate = change.SetsDueDate ? change.DueDate : item.DueDate,
            Owner = change.SetsOwner ? change.Owner : item.Owner,
            UpdatedAt = now,
        };

        var lastZoneToday = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(-12)).DateTime);
        var errors = ActionItemRules.Validate(item, lastZoneToday, dueDateIsBeingSet: item.DueDate != stored.DueDate);
        return errors.Count > 0 ? (null, errors) : (item, []);
    }

    private static ProblemHttpResult Changed(HttpContext http, ActionResponse current)
    {
        http.Response.Headers.ETag = current.ETag;
        return Problems.Changed(current);
    }

    internal static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (default, Problems.TooLarge(MaxBodyBytes));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (default, Problems.TooLarge(MaxBodyBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            byte[] body = buffer.ToArray();
            using var document = JsonDocument.Parse(body);
            if (!JsonStrings.AreWellFormed(body))
            {
                return (default, Problems.Invalid([new FieldError("body", "The body has a string that is not valid text.")], "The request body could not be read."));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (default, Problems.Invalid([new FieldError("body", "The body is not valid JSON.")], "The request body could not be read."));
        }
    }
}
