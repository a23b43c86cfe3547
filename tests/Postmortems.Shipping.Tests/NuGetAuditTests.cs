using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>
/// The repository's Directory.Build.props turns NuGet audit on: a restore that finds a package with a known
/// vulnerability, even a low one, fails, and a restore that cannot reach the vulnerability data still succeeds (the
/// package mirror here serves none, and CI has no other network). Each test restores a one-package project that
/// imports those settings, against a local vulnerability source on loopback.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class NuGetAuditTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task RestoreFailsWhenAPackageHasAKnownLowSeverityVulnerability()
    {
        await using var source = await RecordingHttpServer.StartAsync();
        string package = "Markdig";
        string version = PinnedVersion(package);
        // Severity 0 is "low": the lowest level, which the props ask audit to report.
        Serve(source, "/index.json", $$"""{"version":"3.0.0","resources":[{"@id":"{{source.BaseUrl}}vulnerability/index.json","@type":"VulnerabilityInfo/6.7.0"}]}""");
        Serve(source, "/vulnerability/index.json", $$"""
            [{"@name":"base","@id":"{{source.BaseUrl}}vulnerability/base.json","@updated":"2026-01-01T00:00:00Z"},
             {"@name":"update","@id":"{{source.BaseUrl}}vulnerability/update.json","@updated":"2026-01-01T00:00:00Z"}]
            """);
        Serve(source, "/vulnerability/base.json", $$"""{"{{package.ToLowerInvariant()}}":[{"url":"https://example.invalid/advisory/1","severity":0,"versions":"[{{version}}]"}]}""");
        Serve(source, "/vulnerability/update.json", "{}");

        var result = await RestoreAsync(package, version, new Uri(source.BaseUrl, "index.json"));

        Assert.AreNotEqual(0, result.ExitCode, "the restore should fail on a known vulnerability:\n" + result.Output);
        StringAssert.Contains(result.Output, "error NU1901", "a low severity finding is an error:\n" + result.Output);
        StringAssert.Contains(result.Output, package, result.Output);
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task RestoreSucceedsWhenTheVulnerabilitySourceCannotBeReached()
    {
        string package = "Markdig";
        // A loopback port nothing listens on: the vulnerability data cannot be fetched (NU1900).
        var unreachable = new Uri($"https://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/index.json");

        var result = await RestoreAsync(package, PinnedVersion(package), unreachable);

        Assert.AreEqual(0, result.ExitCode, "an unreachable vulnerability source must not fail the build:\n" + result.Output);
        StringAssert.Contains(result.Output, "warning NU1900", "the restore says it could not check:\n" + result.Output);
    }

    private static void Serve(RecordingHttpServer source, string path, string json)
    {
        // NuGet may ask more than once (a retry, a second project pass).
        for (int i = 0; i < 5; i++)
        {
            source.Enqueue(HttpStatusCode.OK, json, pathPrefix: path);
        }
    }

    private async Task<Tool.Result> RestoreAsync(string package, string version, Uri auditSource)
    {
        string dir = Directory.CreateTempSubdirectory("postmortems-audit-").FullName;
        string props = Path.Combine(RepositoryRoot.Path, "Directory.Build.props");
        await File.WriteAllTextAsync(Path.Combine(dir, "Directory.Build.props"), $"""<Project><Import Project="{props}" /></Project>""", TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "Audited.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="{package}" Version="{version}" />
              </ItemGroup>
            </Project>
            """, TestContext.CancellationToken);
        // The package itself comes from the usual sources (already in the global packages folder after the build);
        // only the vulnerability data comes from the source under test.
        await File.WriteAllTextAsync(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <auditSources>
                <clear />
                <add key="audit" value="{auditSource}" allowInsecureConnections="true" />
              </auditSources>
            </configuration>
            """, TestContext.CancellationToken);
        try
        {
            return await Tool.RunAsync("dotnet", ["restore", "Audited.csproj", "--nologo"], dir, TestContext.CancellationToken);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The version Directory.Packages.props pins, so the package is one the build has already restored.</summary>
    private static string PinnedVersion(string package)
    {
        var pins = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        return pins.Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!.Value;
    }
}
