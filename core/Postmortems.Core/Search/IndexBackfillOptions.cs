using System.ComponentModel.DataAnnotations;

namespace Postmortems.Core.Search;

/// <summary>
/// Settings under "Search:Backfill": the background job that adds postmortems stored before the search index existed
/// (or indexed by an older version) to the index, once per index version (<see cref="IndexBackfill"/>).
/// </summary>
public sealed class IndexBackfillOptions
{
    public const string Section = "Search:Backfill";

    /// <summary>False: the job does not run (postmortems then enter the index only on their next write).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Postmortems read per page; the progress is recorded after each page.</summary>
    [Range(1, 1000, ErrorMessage = "Search:Backfill:PageSize must be between 1 and 1000.")]
    public int PageSize { get; set; } = 100;

    /// <summary>How long after start-up the job begins, so a starting instance serves people first.</summary>
    [Range(0, 3600, ErrorMessage = "Search:Backfill:StartDelaySeconds must be between 0 and 3600.")]
    public double StartDelaySeconds { get; set; } = 30;

    /// <summary>The pause after each page: the job never holds storage for long, so live requests are not starved.</summary>
    [Range(0, 600, ErrorMessage = "Search:Backfill:PauseBetweenPagesSeconds must be between 0 and 600.")]
    public double PauseBetweenPagesSeconds { get; set; } = 1;

    /// <summary>The wait after a failure (a storage outage); it doubles with each failure in a row, up to <see cref="MaxRetrySeconds"/>.</summary>
    [Range(0.01, 3600, ErrorMessage = "Search:Backfill:FirstRetrySeconds must be between 0.01 and 3600.")]
    public double FirstRetrySeconds { get; set; } = 5;

    [Range(0.01, 86400, ErrorMessage = "Search:Backfill:MaxRetrySeconds must be between 0.01 and 86400.")]
    public double MaxRetrySeconds { get; set; } = 300;
}
