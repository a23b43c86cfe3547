using Postmortems.Core.Common;

namespace Postmortems.Bot.Forms;

/// <summary>
/// The inputs of a form card as they should be shown: the values (typed by the user, or the stored item's) and the
/// errors next to each input. A card shown again after an error keeps everything the user typed.
/// </summary>
public sealed record FormState(FormValues Values, IReadOnlyDictionary<string, string> Errors, string? Banner = null)
{
    public static FormState Empty { get; } = new(new FormValues(new Dictionary<string, string?>()), new Dictionary<string, string>());

    public static FormState From(IReadOnlyDictionary<string, string?> values) => new(new FormValues(values), new Dictionary<string, string>());

    /// <summary>Errors keyed by input id; domain field names are mapped through <paramref name="inputIdOf"/> where they differ.</summary>
    public static FormState WithErrors(FormValues values, IEnumerable<FieldError> errors, Func<string, string>? inputIdOf = null, string? banner = null)
    {
        var byInput = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in errors)
        {
            string id = inputIdOf?.Invoke(error.Field) ?? error.Field;
            byInput[id] = byInput.TryGetValue(id, out var earlier) ? earlier + " " + error.Message : error.Message;
        }

        return new FormState(values, byInput, banner ?? (byInput.Count > 0 ? "Not saved yet: please check the notes below." : null));
    }

    public string? Value(string id) => Values.Raw(id);

    /// <summary>The people each people picker shows as chosen, by input id (see <see cref="WithPeople"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Person>> People { get; init; } = new Dictionary<string, IReadOnlyList<Person>>(StringComparer.Ordinal);

    /// <summary>
    /// The state with <paramref name="chosen"/> as the people picker <paramref name="id"/>'s value: their Entra object
    /// ids, comma-joined, whatever id the client sent, so the card shows them (each also becomes one of the picker's
    /// choices, titled with the name).
    /// </summary>
    public FormState WithPeople(string id, IReadOnlyList<Person> chosen)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        var people = new Dictionary<string, IReadOnlyList<Person>>(People, StringComparer.Ordinal) { [id] = chosen };
        string? value = chosen.Count == 0 ? null : string.Join(",", chosen.Select(p => p.ObjectId));
        return this with { Values = Values.With(id, value), People = people };
    }

    /// <summary>The people the picker <paramref name="id"/> shows as chosen; empty when none were resolved.</summary>
    public IReadOnlyList<Person> PeopleIn(string id) => People.TryGetValue(id, out var chosen) ? chosen : [];

    public string? Error(string id) => Errors.TryGetValue(id, out var message) ? message : null;
}
