using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Postmortems.Core.Outbox;

namespace Postmortems.Core.Tests.Outbox;

[TestClass]
public sealed class OutboxOptionsTests
{
    [TestMethod]
    public void OutboxLeaseShorterThanTwoTriesIsRefused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Outbox:LeaseSeconds"] = "50", ["Outbox:AttemptTimeoutSeconds"] = "30" }).Build();
        using var provider = new ServiceCollection().AddOutbox(configuration).BuildServiceProvider();

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OutboxOptions>>().Value);

        Assert.Contains("Outbox:LeaseSeconds must be more than twice Outbox:AttemptTimeoutSeconds, so a live sender never loses its lease.", error.Failures);
    }

    [TestMethod]
    public void TheOutboxIsRegisteredWithoutAnyGraphService()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddOutbox(configuration);

        Assert.IsTrue(services.Any(d => d.ServiceType == typeof(OutboxWorker)));
        Assert.IsFalse(services.Any(d => (d.ServiceType.Namespace ?? string.Empty).Contains("Graph", StringComparison.Ordinal)), "the job queue knows nothing of Graph");
    }
}
