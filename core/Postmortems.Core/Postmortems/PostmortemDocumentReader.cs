using Azure.Data.Tables;
using Postmortems.Core.Actions;
using Postmortems.Core.Discussion;
using Postmortems.Core.Remediation;
using Postmortems.Core.Storage;
using Postmortems.Core.Timeline;

namespace Postmortems.Core.Postmortems;

/// <summary>Reads a whole postmortem: a point read of its row and one query of its items' partition, run together.</summary>
public sealed class PostmortemDocumentReader(
    PostmortemRepository postmortems,
    PostmortemTables tables,
    PostmortemItemStore<TimelineEntry> timeline,
    PostmortemItemStore<RemediationIdea> ideas,
    PostmortemItemStore<ActionItem> actions,
    PostmortemItemStore<FiveWhys> whys,
    PostmortemItemStore<ContributingFactor> factors,
    PostmortemItemStore<Takeaway> takeaways,
    PostmortemItemStore<Analysis.WentWell> wentWell,
    PostmortemItemStore<Analysis.LuckyBreak> lucky)
{
    /// <summary>The whole postmortem, or null when it does not exist for this tenant.</summary>
    public async Task<PostmortemDocument?> ReadAsync(string tenantId, string postmortemId, CancellationToken cancellationToken = default)
    {
        var postmortemTask = postmortems.GetAsync(tenantId, postmortemId, cancellationToken);
        var rowsTask = ReadItemRowsAsync(tenantId, postmortemId, cancellationToken);
        var postmortem = await postmortemTask.ConfigureAwait(false);
        var rows = await rowsTask.ConfigureAwait(false);
        if (postmortem is null)
        {
            return null;
        }

        return new PostmortemDocument(
            postmortem,
            Timeline: [.. TimelineClock.InOrder(rows.Where(timeline.IsOfThisKind).Select(timeline.FromEntity))],
            Ideas: [.. rows.Where(ideas.IsOfThisKind).Select(ideas.FromEntity).OrderBy(i => i.Category).ThenBy(i => i.CreatedAt)],
            Actions: [.. rows.Where(actions.IsOfThisKind).Select(actions.FromEntity).OrderBy(a => a.DueDate).ThenBy(a => a.CreatedAt)],
            Whys: [.. rows.Where(whys.IsOfThisKind).Select(whys.FromEntity).OrderBy(w => w.CreatedAt)],
            ContributingFactors: [.. rows.Where(factors.IsOfThisKind).Select(factors.FromEntity).OrderBy(f => f.CreatedAt)],
            Takeaways: [.. rows.Where(takeaways.IsOfThisKind).Select(takeaways.FromEntity).OrderBy(t => t.CreatedAt)])
        {
            WentWell = [.. rows.Where(wentWell.IsOfThisKind).Select(wentWell.FromEntity).OrderBy(w => w.CreatedAt)],
            Lucky = [.. rows.Where(lucky.IsOfThisKind).Select(lucky.FromEntity).OrderBy(l => l.CreatedAt)],
        };
    }

    private async Task<List<TableEntity>> ReadItemRowsAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        if (!Common.Ids.IsValidKeyPart(postmortemId))
        {
            return [];
        }

        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKeys.ForPostmortem(tenantId, postmortemId)}");
        return await StorageCalls.Run(
            async () =>
            {
                var rows = new List<TableEntity>();
                await foreach (var row in tables.Items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row);
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
