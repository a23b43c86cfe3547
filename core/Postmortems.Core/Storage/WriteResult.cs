using Postmortems.Core.Common;

namespace Postmortems.Core.Storage;

public enum WriteStatus
{
    /// <summary>Stored; <see cref="WriteResult{T}.Value"/> carries the new ETag.</summary>
    Saved,

    /// <summary>Nothing stored: <see cref="WriteResult{T}.Errors"/> says what to fix.</summary>
    Invalid,

    /// <summary>Nothing stored: someone else changed it since it was read. <see cref="WriteResult{T}.Value"/> is their version.</summary>
    Conflict,

    /// <summary>Nothing stored: it does not exist for this tenant (or was deleted).</summary>
    NotFound,

    /// <summary>Nothing stored: an item with this id exists already (a duplicate delivery). <see cref="WriteResult{T}.Value"/> is it.</summary>
    AlreadyExists,
}

/// <summary>The outcome of a write. Only <see cref="WriteStatus.Saved"/> changed anything.</summary>
public sealed record WriteResult<T>(WriteStatus Status, T? Value, IReadOnlyList<FieldError> Errors)
    where T : class
{
    public bool IsSaved => Status == WriteStatus.Saved;

    public static WriteResult<T> Saved(T value) => new(WriteStatus.Saved, value, []);

    public static WriteResult<T> Invalid(IReadOnlyList<FieldError> errors) => new(WriteStatus.Invalid, null, errors);

    public static WriteResult<T> Conflict(T? current) => new(WriteStatus.Conflict, current, []);

    public static WriteResult<T> NotFound() => new(WriteStatus.NotFound, null, []);

    public static WriteResult<T> AlreadyExists(T? existing) => new(WriteStatus.AlreadyExists, existing, []);
}
