using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;
using Postmortems.Tabs.Auth;

namespace Postmortems.Tabs.Api;

/// <summary>Search with filters, sort and paging; the services and tags in use; a postmortem's services and tags.</summary>
public static class SearchApi
{
    public const int MaxQueryLength = 200;

    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/search", SearchAsync);
        api.MapGet("/labels", LabelsInUseAsync);
        api.MapPut("/postmortems/{id}/labels", PutLabelsAsync);
        return api;
    }

    /// <summary>The query string as a search request, or the problems with it (each named after its parameter).</summary>
    public static (SearchRequest? Request, IReadOnlyList<FieldError> Errors) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<FieldError>();
        string? Value(string name) => query.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;

        string? text = Value("q");
        if (text is { Length: > MaxQueryLength })
        {
            errors.Add(new FieldError("q", $"Please search with at most {MaxQueryLength} characters."));
        }
        else if (SearchTerms.Of(text).Count > SearchTerms.MaxQueryWords)
        {
            errors.Add(new FieldError("q", $"Please search with at most {SearchTerms.MaxQueryWords} words."));
        }

        IReadOnlyList<PostmortemStatus>? statuses = Value("status") switch
        {
            null => null,
            "open" => [.. Enum.GetValues<PostmortemStatus>().Where(s => s != PostmortemStatus.Closed)],
            "closed" => [PostmortemStatus.Closed],
            string s when Enum.TryParse<PostmortemStatus>(s, ignoreCase: true, out var one) && Enum.IsDefined(one) && !s.Any(char.IsDigit) => [one],
            _ => Error("status", "Please ask for open or closed postmortems, or one stage, or leave status out."),
        };

        Severity? severity = Value("severity") switch
        {
            null => null,
            string s when Enum.TryParse<Severity>(s, ignoreCase: true, out var one) && Enum.IsDefined(one) && !s.All(char.IsDigit) => one,
            _ => ErrorValue<Severity>("severity", "Please choose a severity: sev1 to sev4, or notSet."),
        };

        string? label = Value("label");
        if (label is not null && !Labels.IsValid(Labels.Normalize(label)))
        {
            errors.Add(new FieldError("label", $"A service or tag has at most {Labels.MaxLength} letters, digits, spaces, '-', '_', '.' or '/'."));
        }

        var from = Day("from");
        var to = Day("to");
        if (from > to)
        {
            errors.Add(new FieldError("to", "The end of the period is before its start."));
        }

        bool overdue = Value("overdue") switch
        {
            null or "false" => false,
            "true" => true,
            _ => ErrorValue<bool>("overdue", "overdue is true or false."),
        };

        SearchSort sort = Value("sort") switch
        {
            null => SearchSort.Newest,
            string s when Enum.TryParse<SearchSort>(s, ignoreCase: true, out var one) && Enum.IsDefined(one) && !s.All(char.IsDigit) => one,
            _ => ErrorValue<SearchSort>("sort", "Sort by newest, oldest, severity or title."),
        };

        int size = PostmortemsApi.DefaultPageSize;
        if (Value("pageSize") is { } pageSize && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > PostmortemsApi.MaxPageSize))
        {
            errors.Add(new FieldError("pageSize", $"pageSize must be a whole number from 1 to {PostmortemsApi.MaxPageSize}."));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new SearchRequest { Text = text, Statuses = statuses, Severity = severity, Label = label, From = from, To = to, OnlyWithOverdueActions = overdue, Sort = sort, PageSize = size }, []);

        DateOnly? Day(string name)
        {
            string? value = Value(name);
            if (value is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            errors.Add(new FieldError(name, "Please give the date as yyyy-MM-dd."));
            return null;
        }

        IReadOnlyList<PostmortemStatus>? Error(string field, string message)
        {
            errors.Add(new FieldError(field, message));
            return null;
        }

        T ErrorValue<T>(string field, string message)
            where T : struct
        {
            errors.Add(new FieldError(field, message));
            return default;
        }
    }

    private static async Task<Results<JsonHttpResult<SearchResponse>, ProblemHttpResult>> SearchAsync(
        HttpRequest http,
        ClaimsPrincipal user,
        PostmortemSearch search,
        SearchContinuation continuations,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = TabCaller.From(user);
        var (request, errors) = Parse(http.Query);
        if (request is null)
        {
            return Problems.Invalid(errors, "The search can't be run with these values.");
        }

        if (http.Query.TryGetValue("continuation", out var token) && !string.IsNullOrEmpty(token.ToString()))
        {
            var after = continuations.Read(caller.TenantId, request.Sort, token.ToString());
            if (after is null)
            {
                return Problems.Invalid([new FieldError("continuation", "This continuation token is not one we gave out for this search. Please search again from the start.")], "The search can't be run with these values.");
            }

            request = request with { After = after };
        }

        var page = await search.SearchAsync(caller.TenantId, request, cancellationToken).ConfigureAwait(false);
        var today = PostmortemsApi.TodayUtc(time);
        return TypedResults.Json(
            new SearchResponse(
                [.. page.Items.Select(r => SearchResultItem.From(r, today))],
                page.Total,
                page.Next is null ? null : continuations.Create(caller.TenantId, request.Sort, page.Next)),
            TabJson.Options);
    }

    private static async Task<JsonHttpResult<LabelsResponse>> LabelsInUseAsync(ClaimsPrincipal user, PostmortemSearch search, CancellationToken cancellationToken)
    {
        var (services, tags) = await search.LabelsInUseAsync(TabCaller.From(user).TenantId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new LabelsResponse(services, tags), TabJson.Options);
    }

    /// <summary>Replaces the postmortem's services and tags; If-Match with the postmortem's etag, as for actions.</summary>
    private static async Task<Results<JsonHttpResult<PostmortemLabelsResponse>, ProblemHttpResult>> PutLabelsAsync(
        string id,
        HttpContext http,
        PostmortemRepository postmortems,
        CancellationToken cancellationToken)
    {
        string ifMatch = http.Request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0 || ifMatch == "*")
        {
            return Problems.PreconditionRequired();
        }

        var (body, bodyProblem) = await ActionsApi.ReadBodyAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var errors = new List<FieldError>();
        var services = ReadList(body, "services", errors);
        var tags = ReadList(body, "tags", errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var caller = TabCaller.From(http.User);
        var stored = await postmortems.GetAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Problems.NotFound();
        }

        if (stored.ETag != ifMatch)
        {
            return LabelsChanged(stored);
        }

        var result = await postmortems.UpdateAsync(caller.TenantId, stored with { Services = services, Tags = tags }, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            WriteStatus.Saved => TypedResults.Json(new PostmortemLabelsResponse(result.Value!.Services, result.Value.Tags, result.Value.ETag), TabJson.Options),
            WriteStatus.Conflict when result.Value is { } current => LabelsChanged(current),
            WriteStatus.Invalid => Problems.Invalid(result.Errors),
            _ => Problems.NotFound(),
        };
    }

    private static ProblemHttpResult LabelsChanged(Postmortem current)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status412PreconditionFailed,
            Title = "Changed by someone else",
            Detail = "Someone changed this postmortem since you loaded it, so nothing was changed. Here are its current services and tags.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        };
        problem.Extensions["current"] = JsonSerializer.SerializeToElement(new PostmortemLabelsResponse(current.Services, current.Tags, current.ETag), TabJson.Options);
        return TypedResults.Problem(problem);
    }

    /// <summary>A list of strings, each normalised; anything else is an error. Validity is judged by the postmortem's rules on save.</summary>
    private static IReadOnlyList<string> ReadList(JsonElement body, string name, List<FieldError> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var list))
        {
            errors.Add(new FieldError(name, $"Please send {name} as a list of text (an empty list for none)."));
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > Labels.MaxPerList * 2 || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            errors.Add(new FieldError(name, $"Please send {name} as a list of at most {Labels.MaxPerList} texts."));
            return [];
        }

        if (list.EnumerateArray().Any(e => SingleLineText.HasInvisibleControl(e.GetString()!)))
        {
            errors.Add(new FieldError(name, "Each service and tag needs to fit on one line, without control characters."));
            return [];
        }

        return [.. list.EnumerateArray().Select(e => Labels.Normalize(e.GetString()!)).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)];
    }
}
