using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Core.Postmortems;

/// <summary>
/// Stores postmortems: one row each in the tenant's partition of the Postmortems table. Ids sort newest first
/// (<see cref="Ids.NewPostmortemId"/>), so a tenant's list is one partition query in key order.
/// </summary>
public sealed partial class PostmortemRepository : IDisposable
{
    /// <summary>How old a copy <see cref="GetRecentAsync"/> may answer with: the longest a rename made by another instance can take to show.</summary>
    public static readonly TimeSpan RecentMaxAge = TimeSpan.FromSeconds(30);

    private readonly TableClient _table;
    private readonly TimeProvider _time;

    // Bounded, so a busy instance keeps the postmortems in use and forgets the rest.
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    private readonly Search.PostmortemIndex? _index;
    private readonly ILogger _logger;

    /// <param name="index">The search index, rebuilt after every create and update; null for none.</param>
    public PostmortemRepository(PostmortemTables tables, TimeProvider? time = null, Search.PostmortemIndex? index = null, ILogger<PostmortemRepository>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _table = tables.Postmortems;
        _time = time ?? TimeProvider.System;
        _index = index;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// The postmortem is saved whatever happens here: a failed index write is left for the next write to repair, so a
    /// saved summary is never answered as "not saved".
    /// </summary>
    private async Task IndexAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
    {
        if (_index is null)
        {
            return;
        }

        try
        {
            await _index.RefreshAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogIndexWriteFailed(_logger, ex, postmortemId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postmortem {PostmortemId} was saved, but its search index row was not; the next write repairs it")]
    private static partial void LogIndexWriteFailed(ILogger logger, Exception exception, string postmortemId);

    public async Task<WriteResult<Postmortem>> CreateAsync(string tenantId, Postmortem postmortem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        var errors = Validate(postmortem);
        if (errors.Count > 0)
        {
            return WriteResult<Postmortem>.Invalid(errors);
        }

        try
        {
            var response = await StorageCalls.Run(() => _table.AddEntityAsync(ToEntity(tenantId, postmortem), cancellationToken), cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            await IndexAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
            return WriteResult<Postmortem>.Saved(Remember(tenantId, postmortem with { ETag = response.Headers.ETag?.ToString() }));
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return WriteResult<Postmortem>.AlreadyExists(await GetAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>A point read. Unknown ids, malformed ids and other tenants' ids all read as null.</summary>
    public async Task<Postmortem?> GetAsync(string tenantId, string postmortemId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValidKeyPart(postmortemId))
        {
            return null;
        }

        var response = await StorageCalls.Run(
            () => _table.GetEntityIfExistsAsync<TableEntity>(PartitionKeys.ForTenant(tenantId), postmortemId, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? Remember(tenantId, FromEntity(entity)) : null;
    }

    /// <summary>
    /// The postmortem as this instance read or wrote it in the last <see cref="RecentMaxAge"/>, else a point read.
    /// For the item cards (timeline, ideas, actions, discussion), which need only that the postmortem exists for this
    /// tenant (postmortems are never deleted) and its title: it saves a storage call on every card submission. Never
    /// for decisions on status, facilitator or version: use <see cref="GetAsync"/>. An unknown id is never remembered.
    /// </summary>
    public async Task<Postmortem?> GetRecentAsync(string tenantId, string postmortemId, CancellationToken cancellationToken = default)
    {
        if (_recent.TryGetValue(RecentKey(tenantId, postmortemId), out RecentCopy? copy) && _time.GetUtcNow() - copy!.ReadAt < RecentMaxAge)
        {
            return copy.Postmortem;
        }

        return await GetAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
    }

    private Postmortem Remember(string tenantId, Postmortem postmortem)
    {
        _recent.Set(
            RecentKey(tenantId, postmortem.Id),
            new RecentCopy(postmortem, _time.GetUtcNow()),
            new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return postmortem;
    }

    private static string RecentKey(string tenantId, string postmortemId) => tenantId + "\n" + postmortemId;

    public void Dispose() => _recent.Dispose();

    private sealed record RecentCopy(Postmortem Postmortem, DateTimeOffset ReadAt);

    /// <summary>A page of the tenant's postmortems, newest first, optionally only those in one status.</summary>
    public Task<PostmortemPage> ListAsync(
        string tenantId,
        PostmortemStatus? status = null,
        int pageSize = 20,
        string? continuationToken = null,
        CancellationToken cancellationToken = default)
    {
        string partition = PartitionKeys.ForTenant(tenantId);
        string filter = status is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Status eq {s.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        return QueryPageAsync(filter, pageSize, continuationToken, cancellationToken);
    }

    /// <summary>
    /// A page of the tenant's postmortems that are not closed yet (draft, meeting scheduled, in review or published), newest first.
    /// A filtered page may hold fewer than <paramref name="pageSize"/> items and still have a continuation.
    /// </summary>
    public Task<PostmortemPage> ListNotClosedAsync(
        string tenantId,
        int pageSize = 20,
        string? continuationToken = null,
        CancellationToken cancellationToken = default)
    {
        string partition = PartitionKeys.ForTenant(tenantId);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Status ne {nameof(PostmortemStatus.Closed)}");
        return QueryPageAsync(filter, pageSize, continuationToken, cancellationToken);
    }

    private async Task<PostmortemPage> QueryPageAsync(string filter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        return await StorageCalls.Run(
            async () =>
            {
                // The filter names the tenant's partition, so even a forged continuation token cannot reach another tenant.
                await foreach (var page in _table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
                    .AsPages(string.IsNullOrEmpty(continuationToken) ? null : continuationToken, pageSize).ConfigureAwait(false))
                {
                    return new PostmortemPage(page.Values.Select(FromEntity).ToList(), page.ContinuationToken);
                }

                return new PostmortemPage([], null);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the stored postmortem if nobody changed it since it was read. Otherwise nothing is written and
    /// <see cref="WriteStatus.Conflict"/> carries the other person's version.
    /// </summary>
    public async Task<WriteResult<Postmortem>> UpdateAsync(string tenantId, Postmortem postmortem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(postmortem);
        if (postmortem.ETag is null)
        {
            throw new ArgumentException("Only a postmortem that was read from storage can be updated: its ETag is missing.", nameof(postmortem));
        }

        var errors = Validate(postmortem);
        if (errors.Count > 0)
        {
            return WriteResult<Postmortem>.Invalid(errors);
        }

        if (!EntityTags.IsWellFormed(postmortem.ETag))
        {
            // No stored version carries it, so it is a stale version: the same answer as a changed postmortem.
            return WriteResult<Postmortem>.Conflict(await GetAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            var response = await StorageCalls.Run(
                () => _table.UpdateEntityAsync(ToEntity(tenantId, postmortem), new ETag(postmortem.ETag), TableUpdateMode.Replace, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            StorageRequest.MarkSaved();
            await IndexAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false);
            return WriteResult<Postmortem>.Saved(Remember(tenantId, postmortem with { ETag = response.Headers.ETag?.ToString() }));
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return WriteResult<Postmortem>.Conflict(await GetAsync(tenantId, postmortem.Id, cancellationToken).ConfigureAwait(false));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteResult<Postmortem>.NotFound();
        }
    }

    private static List<FieldError> Validate(Postmortem postmortem)
    {
        var errors = new List<FieldError>(PostmortemRules.Validate(postmortem));
        if (!Ids.IsValidKeyPart(postmortem.Id))
        {
            errors.Add(new FieldError("id", "This postmortem's id is not valid."));
        }

        if (postmortem.ConversationId is { Length: > 1024 } || postmortem.IncidentChannelConversationId is { Length: > 1024 })
        {
            errors.Add(new FieldError("conversationId", "This conversation id is too long to store."));
        }

        return errors;
    }

    private static TableEntity ToEntity(string tenantId, Postmortem p)
    {
        var entity = new TableEntity(PartitionKeys.ForTenant(tenantId), p.Id)
        {
            [nameof(p.Title)] = p.Title,
            [nameof(p.Summary)] = p.Summary,
            [nameof(p.CustomerImpact)] = p.CustomerImpact,
            [nameof(p.Severity)] = p.Severity.ToString(),
            [nameof(p.Status)] = p.Status.ToString(),
            [nameof(p.StartedAt)] = p.StartedAt,
            [nameof(p.DetectedAt)] = p.DetectedAt,
            [nameof(p.MitigatedAt)] = p.MitigatedAt,
            [nameof(p.ReportedBy)] = p.ReportedBy,
            [nameof(p.ConversationId)] = p.ConversationId,
            [nameof(p.CreatedAt)] = p.CreatedAt,
            [nameof(p.Services)] = Search.Labels.ToStored(p.Services),
            [nameof(p.Tags)] = Search.Labels.ToStored(p.Tags),
        };
        entity.SetPerson(nameof(p.Facilitator), p.Facilitator);
        entity.SetPerson(nameof(p.CreatedBy), p.CreatedBy);
        entity.SetPerson(nameof(p.Scribe), p.Scribe);
        entity.SetPerson(nameof(p.IncidentCommander), p.IncidentCommander);
        entity.SetPerson(nameof(p.PublishedBy), p.PublishedBy);
        entity[nameof(p.MeetingStartsAt)] = p.MeetingStartsAt;
        entity[nameof(p.IncidentChannelConversationId)] = p.IncidentChannelConversationId;
        entity[nameof(p.PublishedAt)] = p.PublishedAt;
        entity[nameof(p.History)] = Lifecycle.LifecycleHistory.Write(p.History);
        return entity;
    }

    /// <summary>A stored postmortem row as the domain object (the search index reads rows it queried itself).</summary>
    public static Postmortem FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Title = e.GetString(nameof(Postmortem.Title)) ?? string.Empty,
        Summary = e.GetString(nameof(Postmortem.Summary)),
        CustomerImpact = e.GetString(nameof(Postmortem.CustomerImpact)),
        Severity = e.GetEnum(nameof(Postmortem.Severity), Severity.NotSet),
        Status = PostmortemStatuses.Parse(e.GetString(nameof(Postmortem.Status))),
        StartedAt = e.GetInstant(nameof(Postmortem.StartedAt)),
        DetectedAt = e.GetInstant(nameof(Postmortem.DetectedAt)),
        MitigatedAt = e.GetInstant(nameof(Postmortem.MitigatedAt)),
        ReportedBy = e.GetString(nameof(Postmortem.ReportedBy)),
        ConversationId = e.GetString(nameof(Postmortem.ConversationId)),
        Facilitator = e.RequiredPerson(nameof(Postmortem.Facilitator)),
        Services = Search.Labels.FromStored(e.GetString(nameof(Postmortem.Services))),
        Tags = Search.Labels.FromStored(e.GetString(nameof(Postmortem.Tags))),
        CreatedBy = e.RequiredPerson(nameof(Postmortem.CreatedBy)),
        Scribe = e.GetPerson(nameof(Postmortem.Scribe)),
        IncidentCommander = e.GetPerson(nameof(Postmortem.IncidentCommander)),
        MeetingStartsAt = e.GetInstant(nameof(Postmortem.MeetingStartsAt)),
        IncidentChannelConversationId = e.GetString(nameof(Postmortem.IncidentChannelConversationId)),
        PublishedAt = e.GetInstant(nameof(Postmortem.PublishedAt)),
        PublishedBy = e.GetPerson(nameof(Postmortem.PublishedBy)),
        History = Lifecycle.LifecycleHistory.Read(e.GetString(nameof(Postmortem.History))),
        CreatedAt = e.GetInstant(nameof(Postmortem.CreatedAt)) ?? DateTimeOffset.MinValue,
        ETag = e.ETag.ToString(),
    };
}
