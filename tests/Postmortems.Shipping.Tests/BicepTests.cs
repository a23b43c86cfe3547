using System.Reflection;
using System.Text.Json.Nodes;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>
/// Every Bicep file under infra/ compiles with the Bicep compiler from NuGet (Azure.Bicep.CommandLine.linux-x64) with no
/// error and no warning, compiler or linter (an unknown resource type or API version is a warning, BCP081, so this
/// also checks the API versions), and the web app gets the settings the app reads.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BicepTests
{
    private static readonly string Infra = Path.Combine(RepositoryRoot.Path, "infra");

    public TestContext TestContext { get; set; } = null!;

    private static string Bicep
    {
        get
        {
            string path = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!
                .Replace('\\', '/');
            Assert.IsTrue(File.Exists(path), $"the Bicep compiler from the NuGet package is at {path}");
            return path;
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task EveryBicepFileBuildsAndLintsWithoutErrorsOrWarnings()
    {
        var files = Directory.GetFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.IsGreaterThanOrEqualTo(5, files.Count, string.Join(", ", files));
        string outDir = Directory.CreateTempSubdirectory("postmortems-bicep-").FullName;

        var problems = new List<string>();
        foreach (string file in files)
        {
            foreach (string[] command in new[] { new[] { "build", file, "--outdir", outDir }, new[] { "lint", file } })
            {
                var result = await Tool.RunAsync(Bicep, command, Infra, TestContext.CancellationToken);
                if (result.ExitCode != 0 || result.Output.Contains(" : Warning ", StringComparison.Ordinal) || result.Output.Contains(" : Error ", StringComparison.Ordinal))
                {
                    problems.Add($"bicep {command[0]} {Path.GetRelativePath(Infra, file)} (exit {result.ExitCode}):\n{result.Output}");
                }
            }
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task TheDevelopmentParametersFileBuildsAgainstTheTemplate()
    {
        var result = await Tool.RunAsync(Bicep, ["build-params", Path.Combine(Infra, "main.dev.bicepparam"), "--stdout"], Infra, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode, result.Output);
        Assert.DoesNotContain(" : Warning ", result.Output);
        var parameters = JsonNode.Parse((string)JsonNode.Parse(result.Output)!["parametersJson"]!)!["parameters"]!;
        Assert.AreEqual("dev", (string)parameters["environmentName"]!["value"]!);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task TheWebAppGetsTheSettingsTheAppReadsAndNoStorageKeys()
    {
        var result = await Tool.RunAsync(Bicep, ["build", Path.Combine(Infra, "main.bicep"), "--stdout"], Infra, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode, result.Output);
        string json = result.Output;
        _ = JsonNode.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..]);

        string[] settings =
        [
            "Storage__TableEndpoint", "Storage__ManagedIdentityClientId", "Bot__AppId", "Bot__TenantId", "Auth__ClientId", "Auth__TenantId",
            "Graph__TenantId", "Graph__ClientId", "Postmortems__PublicBaseUrl", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        ];
        foreach (string setting in settings)
        {
            Assert.Contains($"\"{setting}\"", json, setting);
        }

        Assert.DoesNotContain("listKeys", json, "no storage keys: the app signs in with its managed identity");
        Assert.Contains("\"allowSharedKeyAccess\": false", json);
        Assert.Contains("\"healthCheckPath\": \"/healthz\"", json);
        Assert.Contains("\"linuxFxVersion\": \"DOTNETCORE|10.0\"", json);
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", json, "Storage Table Data Contributor");
        Assert.Contains("\"msaAppType\": \"UserAssignedMSI\"", json);
        Assert.Contains("\"MsTeamsChannel\"", json);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task TelemetryGoesToApplicationInsightsAsTheManagedIdentityNeverWithTheKeyAlone()
    {
        var result = await Tool.RunAsync(Bicep, ["build", Path.Combine(Infra, "main.bicep"), "--stdout"], Infra, TestContext.CancellationToken);
        Assert.AreEqual(0, result.ExitCode, result.Output);
        string json = result.Output;

        Assert.Contains("\"APPLICATIONINSIGHTS_CONNECTION_STRING\"", json, "the connection string turns the app's export on");
        Assert.Contains("\"Telemetry__ManagedIdentityClientId\"", json, "the app signs in to ingestion as its identity");
        Assert.Contains("\"DisableLocalAuth\": true", json, "the instrumentation key alone cannot send telemetry");
        Assert.Contains("3913510d-42f4-4e42-8a64-420c390055eb", json, "Monitoring Metrics Publisher for the identity");
        Assert.DoesNotContain("ApplicationInsightsAgent_EXTENSION_VERSION", json, "no codeless agent reporting every request a second time");
    }
}
