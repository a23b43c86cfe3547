using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Postmortems.Core.Storage;

namespace Postmortems.Security.Tests;

/// <summary>
/// Every row of every table of one app (its own table prefix), each with all its properties and its ETag.
/// <para>
/// What counts as a state change: any row added, removed, or with any property or ETag changed, in any of the five
/// tables, except the two rows a valid, authenticated activity legitimately writes about who spoke where: the
/// conversation reference (Conversations, RowKey = the SHA-256 hex of the conversation id) and the sender's contact
/// (Conversations, RowKey "user_" + object id). The conversation's active-postmortem pointer and its postmortem links
/// are in the Conversations table too, and they do count.
/// </para>
/// </summary>
internal sealed class TableSnapshot
{
    private readonly Dictionary<string, string> _rows;

    private TableSnapshot(Dictionary<string, string> rows) => _rows = rows;

    public int Count => _rows.Count;

    public static async Task<TableSnapshot> TakeAsync(PostmortemTables tables)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables.All)
        {
            bool conversations = table.Name == tables.Conversations.Name;
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                if (conversations && IsWhoSpokeWhere(entity.RowKey))
                {
                    continue;
                }

                rows[$"{table.Name[tables.Prefix.Length..]}/{entity.PartitionKey}/{entity.RowKey}"] = Describe(entity);
            }
        }

        return new TableSnapshot(rows);
    }

    /// <summary>The rows of this snapshot whose key starts with a partition of <paramref name="tenantId"/> (or that mention it, as outbox rows do).</summary>
    public TableSnapshot OfTenant(string tenantId) => new(_rows
        .Where(r => r.Key.Split('/')[1].StartsWith(tenantId, StringComparison.Ordinal) || r.Value.Contains(tenantId, StringComparison.Ordinal))
        .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));

    /// <summary>What differs, one line per row, empty when nothing does.</summary>
    public IReadOnlyList<string> Diff(TableSnapshot after)
    {
        var changes = new List<string>();
        foreach (var (key, value) in _rows)
        {
            if (!after._rows.TryGetValue(key, out var now))
            {
                changes.Add("removed " + key);
            }
            else if (now != value)
            {
                changes.Add("changed " + key);
            }
        }

        changes.AddRange(after._rows.Keys.Where(k => !_rows.ContainsKey(k)).Select(k => "added " + k));
        return changes;
    }

    /// <summary>Whether a row (by key, as <see cref="Diff"/> names it) is in the tenant's partitions or names the tenant (outbox rows).</summary>
    public bool BelongsTo(string key, string tenantId) =>
        key.Split('/')[1].StartsWith(tenantId, StringComparison.Ordinal)
        || (_rows.TryGetValue(key, out var value) && value.Contains(tenantId, StringComparison.Ordinal));

    public bool AnyRowContains(string text) => _rows.Values.Any(v => v.Contains(text, StringComparison.Ordinal));

    private static bool IsWhoSpokeWhere(string rowKey) =>
        rowKey.StartsWith("user_", StringComparison.Ordinal)
        || (rowKey.Length == 64 && rowKey.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')));

    private static string Describe(TableEntity entity)
    {
        var text = new StringBuilder().Append(entity.ETag.ToString()).Append('\n');
        foreach (var (name, value) in entity.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name is "odata.etag" or "Timestamp")
            {
                continue;
            }

            text.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
