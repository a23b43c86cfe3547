using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Postmortems.Core.Telemetry;

namespace Postmortems.Bot.Hosting;

/// <summary>
/// Traces and metrics with OpenTelemetry: ASP.NET Core, HttpClient, the Azure SDK (storage calls) and the product's
/// own (<see cref="ProductTelemetry"/>), exported to Azure Monitor when an Application Insights connection string is
/// configured. With none, nothing is registered at all: no listener means ASP.NET Core and HttpClient create no
/// spans and record no measurements for nobody (a card submit is measured in milliseconds).
/// </summary>
public static class ProductTelemetryExtensions
{
    /// <summary>The standard setting Azure Monitor's exporters read (App Service sets it from infra/modules/web.bicep).</summary>
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Forces collection on (true: e.g. with an exporter added in code) or off (false, even with a connection string).</summary>
    public const string EnabledKey = "Telemetry:Enabled";

    /// <summary>
    /// A user-assigned managed identity's client id: telemetry is sent with its Entra ID token (infra/ turns
    /// instrumentation-key-only ingestion off). Empty: the connection string alone authorizes it.
    /// </summary>
    public const string ManagedIdentityKey = "Telemetry:ManagedIdentityClientId";

    /// <summary>The service name spans and metrics carry (Application Insights' cloud role name).</summary>
    public const string ServiceName = "postmortems";

    /// <summary>The Azure SDK's own spans (Azure.Core 1.x still keeps its ActivitySource behind this switch).</summary>
    private const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>Azure.Core's HTTP span; the HttpClient span under it would describe the same call again.</summary>
    private const string AzureHttpSource = "Azure.Core.Http";

    public static WebApplicationBuilder AddProductTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string? connectionString = builder.Configuration[ConnectionStringKey];
        bool export = !string.IsNullOrWhiteSpace(connectionString);
        if (!(builder.Configuration.GetValue<bool?>(EnabledKey) ?? export))
        {
            return builder;
        }

        AppContext.SetSwitch(AzureActivitySourceSwitch, true);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(ProductTelemetry.Name)
                .AddSource("Azure.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != AzureHttpSource))
            .WithMetrics(metrics => metrics
                .AddMeter(ProductTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        if (export)
        {
            // Logs too: the same ILogger lines the console shows, correlated with the request's trace.
            string? identity = builder.Configuration[ManagedIdentityKey];
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                if (!string.IsNullOrWhiteSpace(identity))
                {
                    o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(identity));
                }
            });
        }

        return builder;
    }
}
