using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Postmortems.Core.Common;

namespace Postmortems.Tabs.Auth;

/// <summary>
/// The tab API's own Bearer scheme for Teams SSO tokens. It is not the default scheme, so nothing else in the host
/// (the bot's endpoint checks its own tokens) is affected; only endpoints with <see cref="Policy"/> use it.
/// </summary>
public static class TabAuthentication
{
    public const string Scheme = "TabSso";
    public const string Policy = "TabUser";

    public static IServiceCollection AddTabAuthentication(this IServiceCollection services)
    {
        // Since ASP.NET Core 7 a lone scheme becomes the default, and the authentication middleware then runs it on
        // every request of the host: each bot activity's token would first be checked, and fail, against the tab's
        // keys. This documented switch (breaking change "single scheme used as DefaultScheme") turns that off; it is
        // read when the options are built, after this call.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<AuthOptions>, IHostEnvironment>((jwt, auth, environment) => Configure(jwt, auth.Value, environment));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(TabCaller.TenantClaim)
                .RequireClaim(TabCaller.UserClaim));
        return services;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, IHostEnvironment environment)
    {
        // Claims keep their token names (oid, tid, name, scp) instead of the long WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = auth.MetadataAddress.Scheme == Uri.UriSchemeHttps;
        jwt.MetadataAddress = auth.MetadataAddress.AbsoluteUri;

        // Fetched on first use and cached (refreshed daily, or sooner when a token names an unknown key).
        jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            auth.MetadataAddress.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = jwt.RequireHttpsMetadata });

        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            IssuerValidator = EntraTokenRules.IssuerValidator(auth.TenantId),
            ValidateAudience = true,
            ValidAudiences = EntraTokenRules.Audiences(auth),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = TabCaller.NameClaim,
        };

        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                bool hasToken = !string.IsNullOrEmpty(context.Request.Headers.Authorization);
                if (!hasToken && LocalIdentity.IsAllowed(context.HttpContext, auth, environment))
                {
                    context.Principal = LocalIdentity.CreatePrincipal(Scheme);
                    context.Success();
                }
                else if (!auth.IsConfigured)
                {
                    // Without an app registration no token can be valid; don't fetch keys for one.
                    context.NoResult();
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var user = context.Principal!;
                if (!Ids.IsValidKeyPart(user.FindFirstValue(TabCaller.TenantClaim)) || !Ids.IsValidKeyPart(user.FindFirstValue(TabCaller.UserClaim)))
                {
                    context.Fail("The token names no user (oid) or tenant (tid).");
                }
                else if (!EntraTokenRules.HasScope(user.FindFirstValue("scp"), auth.RequiredScope))
                {
                    // App-only tokens (client credentials) have roles, not scp: they are no user of the tab.
                    context.Fail("The token does not carry the tab's scope.");
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await Results.Problem(
                        statusCode: StatusCodes.Status401Unauthorized,
                        title: "Sign-in required",
                        detail: "Send a valid Microsoft Teams single sign-on token as \"Authorization: Bearer <token>\".")
                    .ExecuteAsync(context.HttpContext)
                    .ConfigureAwait(false);
            },
            OnForbidden = context => Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Not allowed",
                    detail: "This token does not allow using the tab.")
                .ExecuteAsync(context.HttpContext),
        };
    }
}
