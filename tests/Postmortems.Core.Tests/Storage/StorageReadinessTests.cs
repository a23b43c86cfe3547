using Microsoft.Extensions.Time.Testing;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Tests.Storage;

[TestClass]
public sealed class StorageReadinessTests
{
    [TestMethod]
    public async Task ARequestWaitingForTablesGoesOnAsSoonAsTheyAreCreated()
    {
        var readiness = new StorageReadiness();
        var time = new FakeTimeProvider();

        var waiting = readiness.WaitForTablesAsync(TimeSpan.FromSeconds(3), time, CancellationToken.None);
        Assert.IsFalse(waiting.IsCompleted, "no tables yet");

        readiness.MarkTablesCreated();

        Assert.IsTrue(await waiting);
        Assert.IsTrue(readiness.TablesCreated);
    }

    [TestMethod]
    public async Task ARequestWaitsNoLongerThanTheLimitWhenTablesNeverAppear()
    {
        var readiness = new StorageReadiness();
        var time = new FakeTimeProvider();

        var waiting = readiness.WaitForTablesAsync(TimeSpan.FromSeconds(3), time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.IsFalse(waiting.IsCompleted, "still inside the limit");
        time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.IsFalse(await waiting, "the limit passed without tables");
        Assert.IsFalse(readiness.TablesCreated);
    }

    [TestMethod]
    public async Task OnceTablesExistNobodyWaits()
    {
        var readiness = new StorageReadiness();
        readiness.MarkTablesCreated();

        var waiting = readiness.WaitForTablesAsync(TimeSpan.FromSeconds(3), new FakeTimeProvider(), CancellationToken.None);

        Assert.IsTrue(waiting.IsCompleted);
        Assert.IsTrue(await waiting);
    }
}
