using Postmortems.Bot.Cards;
using Postmortems.Bot.Protocol;
using Postmortems.Core.Common;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Forms;

/// <summary>
/// Why a form is shown again, and with what: the user's values kept, the errors next to the inputs and the banner
/// (<see cref="State"/>); after a conflict, the other person's newer version (<see cref="Newer"/>: the card carries its
/// version, so saving again knowingly replaces it); <see cref="StorageIsDown"/> when storage could not be reached (the
/// form must then be built without reading storage).
/// </summary>
public sealed record FormAgain<T>(FormState State, T? Newer, bool StorageIsDown)
    where T : class;

/// <summary>
/// The one way a form card saves an item, so every form answers alike: errors found before saving, or by the store, show
/// the same form with everything typed kept; a conflict shows it with a banner and the newer version; an item deleted
/// meanwhile says so; and storage that cannot be reached says "not saved" (only while nothing of the request was saved:
/// <see cref="StorageRequest.NothingSavedYet"/>). Each form describes only what differs: how its form and its saved card
/// are built, and its words.
/// </summary>
public sealed class FormSave<T>
    where T : class
{
    private readonly Func<FormAgain<T>, Task<AdaptiveCard>> _form;
    private readonly Func<T, Task<AdaptiveCard>> _saved;

    public FormSave(Func<FormAgain<T>, Task<AdaptiveCard>> form, Func<T, Task<AdaptiveCard>> saved)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(saved);
        _form = form;
        _saved = saved;
    }

    public FormSave(Func<FormAgain<T>, AdaptiveCard> form, Func<T, AdaptiveCard> saved)
        : this(again => Task.FromResult(form(again)), item => Task.FromResult(saved(item)))
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(saved);
    }

    /// <summary>Maps the domain's field names to the form's input ids where they differ.</summary>
    public Func<string, string>? InputIdOf { get; init; }

    /// <summary>The banner over a form whose item someone else changed meanwhile; null: a conflict shows the store's errors.</summary>
    public string? ConflictBanner { get; init; }

    /// <summary>The conflict banner built from the other person's version (to name who changed it); wins over <see cref="ConflictBanner"/>.</summary>
    public Func<T?, string>? ConflictBannerFor { get; init; }

    /// <summary>The answer when the item was deleted meanwhile; null: shows the form again with the store's errors.</summary>
    public InvokeResponse? Deleted { get; init; }

    /// <summary>The banner when storage cannot be reached and nothing was saved.</summary>
    public string StorageDownBanner { get; init; } = FormCards.StorageDownBanner;

    /// <summary>
    /// Saves through <paramref name="write"/> unless <paramref name="errors"/> has any (the form then comes back with
    /// them and <paramref name="errorBanner"/>, or the usual "not saved yet" banner), and answers with the saved card or
    /// the form again.
    /// </summary>
    public async Task<InvokeResponse> SaveAsync(FormValues values, IReadOnlyCollection<FieldError> errors, Func<Task<WriteResult<T>>> write, string? errorBanner = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(write);
        if (errors.Count > 0)
        {
            return await AgainAsync(values, errors, errorBanner).ConfigureAwait(false);
        }

        try
        {
            var result = await write().ConfigureAwait(false);
            return result switch
            {
                { Status: WriteStatus.Saved or WriteStatus.AlreadyExists, Value: { } saved } => InvokeResponse.Card(await _saved(saved).ConfigureAwait(false)),
                { Status: WriteStatus.Conflict } when (ConflictBannerFor?.Invoke(result.Value) ?? ConflictBanner) is { } banner => await AgainAsync(values, [], banner, result.Value).ConfigureAwait(false),
                { Status: WriteStatus.NotFound or WriteStatus.AlreadyExists } when Deleted is { } deleted => deleted,
                _ => await AgainAsync(values, result.Errors).ConfigureAwait(false),
            };
        }
        catch (StorageUnavailableException) when (StorageRequest.NothingSavedYet)
        {
            return await AgainAsync(values, [], StorageDownBanner, storageIsDown: true).ConfigureAwait(false);
        }
    }

    /// <summary>The form again with the user's values, <paramref name="errors"/> next to the inputs and <paramref name="banner"/>.</summary>
    public async Task<InvokeResponse> AgainAsync(FormValues values, IEnumerable<FieldError> errors, string? banner = null, T? newer = null, bool storageIsDown = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        var state = FormState.WithErrors(values, errors, InputIdOf, banner);
        return InvokeResponse.Card(await _form(new FormAgain<T>(state, newer, storageIsDown)).ConfigureAwait(false));
    }
}
