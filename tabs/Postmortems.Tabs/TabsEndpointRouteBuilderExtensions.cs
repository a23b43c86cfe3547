using Microsoft.AspNetCore.Routing;
using Postmortems.Tabs.Api;

namespace Postmortems.Tabs;

public static class TabsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The tab's HTTP API (tabs/API.md) under /api, every route behind the tab's Teams SSO policy. The tenant of every
    /// storage key is the validated token's tid, so another tenant's ids read as not found.
    /// </summary>
    public static IEndpointRouteBuilder MapTabApi(this IEndpointRouteBuilder app) => TabApi.MapRoutes(app);
}
