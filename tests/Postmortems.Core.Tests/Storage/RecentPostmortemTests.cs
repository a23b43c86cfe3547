using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Storage;

/// <summary>
/// The item cards' postmortem look-up (<see cref="PostmortemRepository.GetRecentAsync"/>): one storage call saved per
/// card submission, at the price of a title that may lag another instance's rename by half a minute at most.
/// Two repositories on the same tables stand for two instances of the app.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class RecentPostmortemTests
{
    private static ServiceProvider _storage = null!;
    private static PostmortemTables _tables = null!;

    [ClassInitialize]
    public static async Task StartStorage(TestContext context)
    {
        _storage = await TestStorage.CreateAsync((await SharedAzurite.GetAsync()).ConnectionString, "r" + Guid.NewGuid().ToString("N")[..10]);
        _tables = _storage.GetRequiredService<PostmortemTables>();
    }

    [ClassCleanup]
    public static async Task StopStorage() => await _storage.DisposeAsync();

    [TestMethod]
    public async Task ThisInstancesOwnRenameShowsAtOnce()
    {
        using var repository = new PostmortemRepository(_tables, new FakeTimeProvider(DateTimeOffset.UtcNow));
        string tenant = TestData.NewTenantId();
        var created = (await repository.CreateAsync(tenant, TestData.Postmortem() with { Title = "Checkout outage" })).Value!;
        await repository.GetRecentAsync(tenant, created.Id);

        await repository.UpdateAsync(tenant, created with { Title = "Checkout outage on Black Friday" });

        Assert.AreEqual("Checkout outage on Black Friday", (await repository.GetRecentAsync(tenant, created.Id))!.Title);
    }

    [TestMethod]
    public async Task AnotherInstancesRenameShowsWithinHalfAMinute()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var mine = new PostmortemRepository(_tables, clock);
        using var theirs = new PostmortemRepository(_tables, clock);
        string tenant = TestData.NewTenantId();
        var created = (await theirs.CreateAsync(tenant, TestData.Postmortem() with { Title = "Checkout outage" })).Value!;
        Assert.AreEqual("Checkout outage", (await mine.GetRecentAsync(tenant, created.Id))!.Title);

        await theirs.UpdateAsync(tenant, created with { Title = "Payments outage" });
        clock.Advance(PostmortemRepository.RecentMaxAge - TimeSpan.FromSeconds(1));
        string beforeMaxAge = (await mine.GetRecentAsync(tenant, created.Id))!.Title;
        clock.Advance(TimeSpan.FromSeconds(1));
        string atMaxAge = (await mine.GetRecentAsync(tenant, created.Id))!.Title;

        Assert.AreEqual("Checkout outage", beforeMaxAge, "the copy read a moment ago is used: no storage call");
        Assert.AreEqual("Payments outage", atMaxAge);
    }

    [TestMethod]
    public async Task AnotherTenantsIdReadsAsNotFoundAndIsNeverRemembered()
    {
        using var repository = new PostmortemRepository(_tables, new FakeTimeProvider(DateTimeOffset.UtcNow));
        string tenantA = TestData.NewTenantId();
        string tenantB = TestData.NewTenantId();
        var created = (await repository.CreateAsync(tenantA, TestData.Postmortem())).Value!;
        Assert.IsNotNull(await repository.GetRecentAsync(tenantA, created.Id));

        Assert.IsNull(await repository.GetRecentAsync(tenantB, created.Id), "a copy is kept per tenant");
        Assert.IsNull(await repository.GetRecentAsync(tenantA, "no-such-postmortem"));

        var later = (await repository.CreateAsync(tenantA, TestData.Postmortem() with { Id = "no-such-postmortem" })).Value!;
        Assert.AreEqual(later.Id, (await repository.GetRecentAsync(tenantA, "no-such-postmortem"))?.Id, "a miss is not remembered");
    }
}
