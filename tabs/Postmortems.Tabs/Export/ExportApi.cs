using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Postmortems.Core.Postmortems;
using Postmortems.Tabs.Api;
using Postmortems.Tabs.Auth;

namespace Postmortems.Tabs.Export;

public static class ExportApi
{
    public const string ContentType = "text/markdown; charset=utf-8";

    public static RouteGroupBuilder MapExportApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/postmortems/{id}/export.md", ExportAsync);
        return api;
    }

    /// <summary>The whole postmortem as a Markdown download (Content-Disposition: attachment).</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        string id,
        ClaimsPrincipal user,
        PostmortemDocumentReader reader,
        CancellationToken cancellationToken)
    {
        var document = await reader.ReadAsync(TabCaller.From(user).TenantId, id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return Problems.NotFound();
        }

        byte[] markdown = Encoding.UTF8.GetBytes(MarkdownExport.Write(document));
        return TypedResults.File(markdown, ContentType, MarkdownExport.FileName(document.Postmortem));
    }
}
