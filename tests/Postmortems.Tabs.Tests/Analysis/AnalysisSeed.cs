using Postmortems.Core.Actions;
using Postmortems.Core.Analysis;
using Postmortems.Core.Common;
using Postmortems.Core.Discussion;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Tabs.Tests.Analysis;

/// <summary>A postmortem with its analysis, stored through the app's own item stores: an addressed factor linked to an entry, an open one, and one item in each short list.</summary>
internal static class AnalysisSeed
{
    public const string AddressedFactor = "The config schema was not checked before rollout";
    public const string OpenFactor = "Only one person knew how the cache warms up";
    public const string WentWellText = "The checkout alert fired within a minute";
    public const string LuckyText = "It happened at 10am, when the cache expert was at their desk";
    public const string Hostile = "<img src=x onerror=window.hacked=1> **bold** [link](javascript:alert(1))";

    public static async Task<(Postmortem Postmortem, TimelineEntry Entry, ContributingFactor Addressed, ContributingFactor Open, ActionItem Action)> SeedAsync(
        IServiceProvider services, string tenant, Person facilitator, Person second)
    {
        T Store<T>() => (T)services.GetService(typeof(T))!;
        var now = DateTimeOffset.UtcNow;
        var postmortem = (await Store<PostmortemRepository>().CreateAsync(tenant, TestData.Postmortem(now) with { Title = "Checkout returned 500s", Facilitator = facilitator, CreatedBy = facilitator })).Value!;
        var entry = (await Store<PostmortemItemStore<TimelineEntry>>().AddAsync(tenant, postmortem, TestData.TimelineEntry(postmortem.Id) with { Id = Ids.NewItemId(), Description = "Rolled out config 4711" })).Value!;
        var factors = Store<PostmortemItemStore<ContributingFactor>>();
        var addressed = (await factors.AddAsync(tenant, postmortem, new ContributingFactor
        {
            Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = facilitator, CreatedAt = now, Text = AddressedFactor,
            Category = FactorCategory.ChangeAndDeployment, EntryIds = [entry.Id],
        })).Value!;
        var open = (await factors.AddAsync(tenant, postmortem, new ContributingFactor
        {
            Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = second, CreatedAt = now.AddSeconds(1), Text = OpenFactor + " " + Hostile,
            Category = FactorCategory.KnowledgeAndDocumentation,
        })).Value!;
        var action = (await Store<PostmortemItemStore<ActionItem>>().AddAsync(tenant, postmortem, TestData.Action(postmortem.Id) with
        {
            Id = Ids.NewItemId(), Title = "Add a schema check for checkout config", Owner = facilitator, DueDate = DateOnly.FromDateTime(now.AddDays(7).UtcDateTime), FactorIds = [addressed.Id],
        })).Value!;
        await Store<PostmortemItemStore<WentWell>>().AddAsync(tenant, postmortem, new WentWell { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = second, CreatedAt = now, Text = WentWellText });
        await Store<PostmortemItemStore<LuckyBreak>>().AddAsync(tenant, postmortem, new LuckyBreak { Id = Ids.NewItemId(), PostmortemId = postmortem.Id, Author = facilitator, CreatedAt = now, Text = LuckyText + " " + Hostile });
        return (postmortem, entry, addressed, open, action);
    }
}
