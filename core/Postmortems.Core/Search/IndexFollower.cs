using Postmortems.Core.Common;
using Postmortems.Core.Postmortems;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Search;

/// <summary>Rebuilds the postmortem's index row after a write of one of its items (see <see cref="PostmortemIndex"/>).</summary>
public sealed class IndexFollower<T>(PostmortemIndex index) : IItemFollower<T>
    where T : PostmortemItem
{
    public Task ItemWrittenAsync(string tenantId, Postmortem? parent, T? before, T? after, CancellationToken cancellationToken)
    {
        var item = after ?? before;
        return item is null ? Task.CompletedTask : index.RefreshAsync(tenantId, item.PostmortemId, cancellationToken);
    }
}
