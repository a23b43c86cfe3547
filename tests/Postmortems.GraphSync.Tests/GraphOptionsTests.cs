using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Postmortems.GraphSync.Tests;

[TestClass]
public sealed class GraphOptionsTests
{
    [TestMethod]
    public void WithoutATenantInvitesAreWrittenAsLocalFiles()
    {
        var options = Resolve([]);

        Assert.IsFalse(options.IsConfigured);
        Assert.AreEqual(".data/invites", options.LocalInviteFolder);
        Assert.AreEqual("https://graph.microsoft.com/v1.0", options.BaseUrl.ToString());
    }

    [TestMethod]
    public void WithATenantGraphIsUsed()
    {
        Assert.IsTrue(Resolve(new() { ["Graph:TenantId"] = "66666666-7777-8888-9999-000000000000" }).IsConfigured);
    }

    [TestMethod]
    [DataRow("Graph:TenantId", "contoso", "Graph:TenantId must be a tenant id (a GUID), or empty to write invites as .ics files.")]
    [DataRow("Graph:BaseUrl", "http://graph.example.com/v1.0", "Graph:BaseUrl must use https (http is allowed only on loopback, for tests).")]
    [DataRow("Graph:LocalInviteFolder", " ", "Graph:LocalInviteFolder must name a folder.")]
    [DataRow("Graph:ClientSecret", "a-secret", "Graph:ClientSecret needs Graph:TenantId and Graph:ClientId (the app registration it belongs to).")]
    public void WrongSettingIsRefusedWithItsName(string key, string value, string message)
    {
        var error = Assert.ThrowsExactly<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, error.Failures);
    }

    private static GraphOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddGraphSync(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GraphOptions>>().Value;
    }
}
