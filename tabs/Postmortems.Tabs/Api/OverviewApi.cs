using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Postmortems.Core.Common;
using Postmortems.Core.Overview;
using Postmortems.Core.Search;
using Postmortems.Tabs.Auth;
using Postmortems.Tabs.Export;

namespace Postmortems.Tabs.Api;

/// <summary>The overview of the practice (JSON and CSV) and a postmortem's "seen before" links.</summary>
public static class OverviewApi
{
    /// <summary>The overview covers the last 90 days unless asked otherwise, and at most this many days.</summary>
    public const int MaxDays = 3 * 366;

    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/overview", OverviewAsync);
        api.MapGet("/overview.csv", OverviewCsvAsync);
        api.MapGet("/postmortems/{id}/seen-before", SeenBeforeAsync);
        return api;
    }

    private static async Task<Results<JsonHttpResult<OverviewFigures>, ProblemHttpResult>> OverviewAsync(
        string? from, string? to, string? label, ClaimsPrincipal user, PracticeOverview overview, TimeProvider time, CancellationToken cancellationToken)
    {
        var (period, errors) = Period(from, to, label, time);
        if (period is not { } p)
        {
            return Problems.Invalid(errors, "The overview can't be shown for these values.");
        }

        return TypedResults.Json(await overview.FiguresAsync(TabCaller.From(user).TenantId, p.From, p.To, label, cancellationToken).ConfigureAwait(false), TabJson.Options);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> OverviewCsvAsync(
        string? from, string? to, string? label, ClaimsPrincipal user, PracticeOverview overview, TimeProvider time, CancellationToken cancellationToken)
    {
        var (period, errors) = Period(from, to, label, time);
        if (period is not { } p)
        {
            return Problems.Invalid(errors, "The overview can't be exported for these values.");
        }

        var figures = await overview.FiguresAsync(TabCaller.From(user).TenantId, p.From, p.To, label, cancellationToken).ConfigureAwait(false);
        string name = $"postmortem-overview-{p.From:yyyy-MM-dd}-to-{p.To:yyyy-MM-dd}.csv";
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(OverviewCsv.Write(figures))).ToArray(), "text/csv; charset=utf-8", name);
    }

    private static async Task<Results<JsonHttpResult<ItemsResponse<SeenBefore>>, ProblemHttpResult>> SeenBeforeAsync(
        string id, ClaimsPrincipal user, PostmortemIndex index, PracticeOverview overview, CancellationToken cancellationToken)
    {
        string tenant = TabCaller.From(user).TenantId;
        if (await index.GetAsync(tenant, id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound();
        }

        return TypedResults.Json(new ItemsResponse<SeenBefore>(await overview.SeenBeforeAsync(tenant, id, cancellationToken).ConfigureAwait(false)), TabJson.Options);
    }

    private static ((DateOnly From, DateOnly To)? Period, List<FieldError> Errors) Period(string? from, string? to, string? label, TimeProvider time)
    {
        var errors = new List<FieldError>();
        var today = PostmortemsApi.TodayUtc(time);
        DateOnly? Day(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            errors.Add(new FieldError(name, "Please give the date as yyyy-MM-dd."));
            return null;
        }

        var end = Day("to", to) ?? today;
        var start = Day("from", from) ?? end.AddDays(-89);
        if (start > end)
        {
            errors.Add(new FieldError("to", "The end of the period is before its start."));
        }
        else if (end.DayNumber - start.DayNumber > MaxDays)
        {
            errors.Add(new FieldError("from", "Please choose a period of at most three years."));
        }

        if (!string.IsNullOrWhiteSpace(label) && !Labels.IsValid(Labels.Normalize(label)))
        {
            errors.Add(new FieldError("label", $"A service or tag has at most {Labels.MaxLength} letters, digits, spaces, '-', '_', '.' or '/'."));
        }

        return errors.Count > 0 ? (null, errors) : ((start, end), errors);
    }
}
