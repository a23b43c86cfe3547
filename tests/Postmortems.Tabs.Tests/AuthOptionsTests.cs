using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Postmortems.Tabs.Tests;

[TestClass]
public sealed class AuthOptionsTests
{
    [TestMethod]
    public void WithoutSettingsTheTabApiIsNotConfiguredForSso()
    {
        var options = Resolve([]);

        Assert.IsFalse(options.IsConfigured);
        Assert.AreEqual("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", options.MetadataAddress.ToString());
    }

    [TestMethod]
    public void ClientIdAndTenantIdAreRead()
    {
        var options = Resolve(new()
        {
            ["Auth:ClientId"] = "11111111-2222-3333-4444-555555555555",
            ["Auth:TenantId"] = "66666666-7777-8888-9999-000000000000",
        });

        Assert.IsTrue(options.IsConfigured);
        Assert.AreEqual("66666666-7777-8888-9999-000000000000", options.TenantId);
    }

    [TestMethod]
    [DataRow("Auth:ClientId", "my-app", "Auth:ClientId must be the app registration's client id (a GUID).")]
    [DataRow("Auth:TenantId", "contoso.com", "Auth:TenantId must be a tenant id (a GUID), or empty for a multi-tenant app.")]
    [DataRow("Auth:MetadataAddress", "http://login.example.com/.well-known/openid-configuration", "Auth:MetadataAddress must use https (http is allowed only on loopback, for tests).")]
    public void WrongSettingIsRefusedWithItsName(string key, string value, string message)
    {
        var error = Assert.ThrowsExactly<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, error.Failures);
    }

    [TestMethod]
    public void LoopbackMetadataIsAllowedForLocalTestIssuers()
    {
        var options = Resolve(new() { ["Auth:MetadataAddress"] = "http://127.0.0.1:5123/.well-known/openid-configuration" });

        Assert.IsTrue(options.MetadataAddress.IsLoopback);
    }

    private static AuthOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddTabs(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AuthOptions>>().Value;
    }
}
