using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Postmortems.Tabs.Pages;

/// <summary>
/// Serves the tab's front end (tabs/web, built by Vite and copied to the output's tab-web folder) at /tab/.
/// Files are served as they are; any other path under /tab/ gets index.html, whose script routes in the browser.
/// </summary>
public static class TabPagesEndpoints
{
    public const string OutputFolder = "tab-web";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <param name="root">The folder holding index.html; by default tab-web beside the app.</param>
    public static RouteGroupBuilder MapTabPages(this IEndpointRouteBuilder endpoints, string? root = null)
    {
        // Without the folder (a build that skipped npm), the app still starts and /tab/ says what to build.
        string folder = Path.GetFullPath(root ?? Path.Combine(AppContext.BaseDirectory, OutputFolder));
        IFileProvider files = Directory.Exists(folder) ? new PhysicalFileProvider(folder) : new NullFileProvider();

        var group = endpoints.MapGroup("/tab").ExcludeFromDescription();
        group.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path, HttpContext context) => Serve(files, path, context));
        return group;
    }

    private static IResult Serve(IFileProvider files, string? path, HttpContext context)
    {
        // The route matches /tab too; the page's relative script paths need the slash.
        if (context.Request.Path.Value is "/tab")
        {
            return Results.Redirect("/tab/" + context.Request.QueryString);
        }

        var headers = context.Response.GetTypedHeaders();
        var file = string.IsNullOrEmpty(path) ? null : files.GetFileInfo(path);
        if (file is { Exists: true, IsDirectory: false, PhysicalPath: not null } && ContentTypes.TryGetContentType(file.Name, out var type))
        {
            // Vite puts a content hash in every name under assets/: such a file never changes, so browsers may keep it.
            headers.CacheControl = path!.StartsWith("assets/", StringComparison.Ordinal)
                ? new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } }
                : new CacheControlHeaderValue { NoCache = true };
            return Results.File(file.PhysicalPath, type, lastModified: file.LastModified, enableRangeProcessing: true);
        }

        // A missing script or style must not be answered with the page: the browser would report a confusing error.
        if (path is not null && (path.StartsWith("assets/", StringComparison.Ordinal) || Path.HasExtension(path)))
        {
            return Results.NotFound();
        }

        var index = files.GetFileInfo("index.html");
        if (!index.Exists || index.PhysicalPath is null)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "The tab's pages are not built.",
                detail: "Build the app with Node.js and npm installed (dotnet build runs npm in tabs/web).");
        }

        // Always asked again, so a new deployment's script names reach everyone at once.
        headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return Results.File(index.PhysicalPath, "text/html; charset=utf-8", lastModified: index.LastModified);
    }
}
