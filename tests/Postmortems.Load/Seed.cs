using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Testing;

namespace Postmortems.Load;

/// <summary>What the seed wrote.</summary>
public sealed record Seeded(string CardPostmortemId, int Postmortems, int Actions, int UserActions, TimeSpan Elapsed);

/// <summary>
/// A tenant as a busy organisation would have it: postmortems of 50 actions each, owned by 100 people, one of them
/// the measured user (1 in 100 actions, some overdue). Written through the product's own stores, so the index the
/// tab reads is built as in real use.
/// </summary>
public static class Seed
{
    private const int ActionsPerPostmortem = 50;
    private const int Owners = 100;

    /// <summary>The seeded owners besides the measured user (who is number 0), 1 to 99.</summary>
    public static Person OwnerNumber(int n) => new($"00000000-0000-4000-8000-{n:000000000000}", $"Owner {n}");

    /// <param name="ownedByUser">How many actions the measured user owns, spread evenly; null for 1 in 100.</param>
    public static async Task<Seeded> RunAsync(string connectionString, string tenantId, Person user, int actions, int? ownedByUser = null)
    {
        var clock = Stopwatch.StartNew();
        await using var storage = await TestStorage.CreateAsync(connectionString);
        var repository = storage.GetRequiredService<PostmortemRepository>();
        var store = storage.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var now = DateTimeOffset.UtcNow;

        var cardPostmortem = (await repository.CreateAsync(tenantId, TestData.Postmortem(now) with { Facilitator = user, CreatedBy = user, Title = "Load: card submissions" })).Value!;
        int postmortems = Math.Max(1, (actions + ActionsPerPostmortem - 1) / ActionsPerPostmortem);
        using var gate = new SemaphoreSlim(16);
        int written = 0, userActions = 0;
        var work = new List<Task>();
        for (int p = 0; p < postmortems; p++)
        {
            var postmortem = (await repository.CreateAsync(tenantId, TestData.Postmortem(now.AddMinutes(-p)) with { Title = $"Load postmortem {p}" })).Value!;
            for (int a = 0; a < ActionsPerPostmortem && written < actions; a++, written++)
            {
                int n = written;
                bool users = ownedByUser is { } share
                    ? (long)(n + 1) * share / actions > (long)n * share / actions
                    : n % Owners == 0;
                var owner = users ? user : OwnerNumber(ownedByUser is null ? n % Owners : 1 + (n % (Owners - 1)));
                if (owner == user)
                {
                    userActions++;
                }

                await gate.WaitAsync();
                work.Add(Task.Run(async () =>
                {
                    try
                    {
                        var item = TestData.Action(postmortem.Id) with
                        {
                            Id = Ids.NewItemId(),
                            Title = $"Add an alert for failure mode {n}",
                            Owner = owner,
                            DueDate = DateOnly.FromDateTime(now.AddDays((n % 60) - 20).UtcDateTime),
                        };
                        // Past due dates are seeded as an older action would have them: validated when they were set.
                        await store.AddAsync(tenantId, postmortem, item with { DueDate = DateOnly.FromDateTime(now.AddDays(30).UtcDateTime) });
                        if (item.DueDate < DateOnly.FromDateTime(now.UtcDateTime))
                        {
                            var stored = await store.GetAsync(tenantId, postmortem.Id, item.Id);
                            await store.UpdateAsync(tenantId, stored! with { DueDate = item.DueDate });
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
        }

        await Task.WhenAll(work);
        return new Seeded(cardPostmortem.Id, postmortems, written, userActions, clock.Elapsed);
    }
}
