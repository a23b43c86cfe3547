using Microsoft.Extensions.DependencyInjection;
using Postmortems.Core.Actions;
using Postmortems.Bot.Conversations;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;
using Postmortems.Testing;

namespace Postmortems.Security.Tests;

/// <summary>A postmortem with an entry and an action, active in a conversation, for one tenant.</summary>
internal sealed record SeededPostmortem(string TenantId, string ConversationId, Postmortem Postmortem, TimelineEntry Entry, ActionItem Action)
{
    /// <summary>Every text tenant A's rows carry starts with this; no answer to tenant B may contain it.</summary>
    public const string SecretMarker = "Tenant A secret";

    public static async Task<SeededPostmortem> CreateAsync(IServiceProvider services, string tenantId, string conversationId, bool secret)
    {
        var postmortems = services.GetRequiredService<PostmortemRepository>();
        var entries = services.GetRequiredService<PostmortemItemStore<TimelineEntry>>();
        var actions = services.GetRequiredService<PostmortemItemStore<ActionItem>>();
        var conversations = new ConversationStore(services.GetRequiredService<PostmortemTables>());

        var postmortem = TestData.Postmortem() with { ConversationId = conversationId };
        if (secret)
        {
            postmortem = postmortem with { Title = SecretMarker + " title", Summary = SecretMarker + " summary", CustomerImpact = SecretMarker + " impact" };
        }

        postmortem = (await postmortems.CreateAsync(tenantId, postmortem)).Value!;
        var entry = TestData.TimelineEntry(postmortem.Id);
        var action = TestData.Action(postmortem.Id) with { Owner = TestData.Alex };
        if (secret)
        {
            entry = entry with { Description = SecretMarker + " entry", Actor = SecretMarker + " actor" };
            action = action with { Title = SecretMarker + " action" };
        }

        entry = (await entries.AddAsync(tenantId, postmortem, entry)).Value!;
        action = (await actions.AddAsync(tenantId, postmortem, action)).Value!;
        await conversations.LinkPostmortemAsync(tenantId, conversationId, postmortem.Id);
        await conversations.SetActivePostmortemAsync(tenantId, conversationId, postmortem.Id);
        return new SeededPostmortem(tenantId, conversationId, postmortem, entry, action);
    }

    /// <summary>The corpus's ids, with <paramref name="poolSize"/> more conversations of B's where B's postmortem is active.</summary>
    public static async Task<CorpusIds> IdsAsync(IServiceProvider services, string serviceUrl, SeededPostmortem b, SeededPostmortem a, int poolSize = 64)
    {
        var conversations = new ConversationStore(services.GetRequiredService<PostmortemTables>());
        var pool = new List<string> { b.ConversationId };
        for (int i = 1; i < poolSize; i++)
        {
            string conversation = $"{b.ConversationId}-{i}";
            await conversations.LinkPostmortemAsync(b.TenantId, conversation, b.Postmortem.Id);
            await conversations.SetActivePostmortemAsync(b.TenantId, conversation, b.Postmortem.Id);
            pool.Add(conversation);
        }

        return new CorpusIds(
            serviceUrl, b.TenantId, b.ConversationId, b.Postmortem.Id, b.Entry.Id, b.Entry.ETag!, b.Action.Id, b.Action.ETag!,
            a.TenantId, a.Postmortem.Id, a.Entry.Id, a.Entry.ETag!, a.Action.Id, a.Action.ETag!) { ConversationPool = pool };
    }
}
