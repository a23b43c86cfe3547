using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Postmortems.Core.Common;

namespace Postmortems.Tabs.Api;

/// <summary>Every error of the tab API as RFC 9457 problem details, worded for the person using the tab; no internals.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "This postmortem or action doesn't exist, or it was deleted.");

    public static ProblemHttpResult Invalid(IEnumerable<FieldError> errors, string detail = "Some values need a change. Nothing was saved.")
    {
        var problem = new HttpValidationProblemDetails(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some values need a change",
            Detail = detail,
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        };
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult PreconditionRequired() => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "If-Match required",
        detail: "Send the action's etag as If-Match, so a change someone else made meanwhile is not overwritten.",
        type: "https://www.rfc-editor.org/rfc/rfc6585#section-3");

    /// <summary>412 with the version that is stored now, so the tab can show it and let the person decide.</summary>
    public static ProblemHttpResult Changed(ActionResponse current)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "Changed by someone else",
            Detail = "Someone changed this action since you loaded it, so nothing was changed. Here is the current version.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        };
        problem.Extensions["current"] = JsonSerializer.SerializeToElement(current, TabJson.Options);
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult TooLarge(int limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request too large",
        detail: $"The request body may be at most {limit:N0} bytes.",
        type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14");

    public static ProblemHttpResult StorageUnavailable() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Storage not reachable",
        detail: "Storage is not reachable right now. Nothing was saved; please try again in a minute.");

    public static ProblemHttpResult Failed() => TypedResults.Problem(
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Something went wrong",
        detail: "Something went wrong on our side. Nothing more was changed; please try again.");
}
