using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Core.Tests.Storage;

/// <summary>The reminders-due index, written by the action store alongside "my actions", against a real Azurite.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class RemindersDueIndexTests
{
    private static ServiceProvider _services = null!;

    private static PostmortemItemStore<ActionItem> Actions => _services.GetRequiredService<PostmortemItemStore<ActionItem>>();

    private static RemindersDueIndex Due => _services.GetRequiredService<ActionsByOwnerIndex>().RemindersDue;

    [ClassInitialize]
    public static async Task StartStorage(TestContext context)
    {
        var azurite = await SharedAzurite.GetAsync();
        _services = await TestStorage.CreateAsync(azurite.ConnectionString, "d" + Guid.NewGuid().ToString("N")[..10]);
    }

    [ClassCleanup]
    public static async Task StopStorage() => await _services.DisposeAsync();

    [TestMethod]
    public async Task AnActionIsFiledWhenItBecomesRemindableAndWhenItsDueDateMovesButNotForOtherEdits()
    {
        string tenant = TestData.NewTenantId();
        var postmortem = (await _services.GetRequiredService<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem())).Value!;
        var saved = (await Actions.AddAsync(tenant, postmortem, TestData.Action(postmortem.Id))).Value!;

        var rows = await RowsAsync(tenant);
        Assert.AreEqual(1, rows.Count(r => r.ActionId == saved.Id && r.DueDate == saved.DueDate), "the new action, with its due date");
        Assert.AreEqual(1, rows.Count(r => r.ActionId is null && r.PostmortemId == postmortem.Id), "its postmortem, for the weekly digest");
        Assert.AreEqual(DateOnly.FromDateTime(DateTime.UtcNow), rows[0].Day, "filed under today, until the scan places it");

        var retitled = (await Actions.UpdateAsync(tenant, saved with { Title = "Alert on checkout config drift" })).Value!;
        Assert.HasCount(2, await RowsAsync(tenant), "a new title changes no reminder: no write");

        var moved = (await Actions.UpdateAsync(tenant, retitled with { DueDate = saved.DueDate!.Value.AddDays(10) })).Value!;
        var after = await RowsAsync(tenant);
        Assert.AreEqual(1, after.Count(r => r.ActionId == saved.Id && r.DueDate == moved.DueDate), "the new due date is filed beside the old row, which the scan drops as stale");

        foreach (var row in after)
        {
            await Due.DeleteAsync(row, CancellationToken.None);
        }

        Assert.IsEmpty(await RowsAsync(tenant));
    }

    private static async Task<List<DueRow>> RowsAsync(string tenant) =>
        [.. (await Due.ListDueAsync(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1), CancellationToken.None)).Where(r => r.TenantId == tenant)];
}
