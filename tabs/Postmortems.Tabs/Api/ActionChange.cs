using System.Globalization;
using System.Text.Json;
using Postmortems.Core.Actions;
using Postmortems.Core.Common;

namespace Postmortems.Tabs.Api;

/// <summary>
/// The body of PATCH /api/postmortems/{id}/actions/{actionId}: <c>{ "status"?, "dueDate"?, "owner"?: { id, name }, "undoFinish"? }</c>.
/// Read by hand, so every wrong value comes back as a field error instead of a serializer exception. With
/// <c>"undoFinish": true</c> the status takes back "done" or "won't do" (the tab's Undo): back to open or in progress.
/// </summary>
public sealed record ActionChange(ActionStatus? Status, bool SetsDueDate, DateOnly? DueDate, bool SetsOwner, Person? Owner)
{
    /// <summary>The status is the Undo of a finish: it returns to the status the action had (see <see cref="ActionItemRules.UndoFinish"/>).</summary>
    public bool UndoesFinish { get; init; }

    private static readonly Dictionary<string, ActionStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["open"] = ActionStatus.Open,
        ["inProgress"] = ActionStatus.InProgress,
        ["done"] = ActionStatus.Done,
        ["wontDo"] = ActionStatus.WontDo,
    };

    public static (ActionChange? Change, IReadOnlyList<FieldError> Errors) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, [new FieldError("body", "Send a JSON object with status, dueDate or owner.")]);
        }

        var errors = new List<FieldError>();
        ActionStatus? status = null;
        bool setsDueDate = false, setsOwner = false;
        DateOnly? dueDate = null;
        Person? owner = null;
        bool undoFinish = false;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "status":
                    if (property.Value.ValueKind == JsonValueKind.String && Statuses.TryGetValue(property.Value.GetString()!, out var s))
                    {
                        status = s;
                    }
                    else
                    {
                        errors.Add(new FieldError("status", "Please choose open, inProgress, done or wontDo."));
                    }

                    break;
                case "dueDate":
                    setsDueDate = true;
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        dueDate = null;
                    }
                    else if (property.Value.ValueKind == JsonValueKind.String
                        && DateOnly.TryParseExact(property.Value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        dueDate = date;
                    }
                    else
                    {
                        errors.Add(new FieldError("dueDate", "That date doesn't look right. Please send it as yyyy-MM-dd."));
                    }

                    break;
                case "owner":
                    setsOwner = true;
                    owner = ParseOwner(property.Value, errors);
                    break;
                case "undoFinish":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        undoFinish = property.Value.GetBoolean();
                    }
                    else
                    {
                        errors.Add(new FieldError("undoFinish", "Send true or false."));
                    }

                    break;
                default:
                    errors.Add(new FieldError(property.Name, "This can't be changed here: only status, dueDate and owner can."));
                    break;
            }
        }

        if (errors.Count == 0 && status is null && !setsDueDate && !setsOwner)
        {
            errors.Add(new FieldError("body", "Nothing to change: send status, dueDate or owner."));
        }

        if (errors.Count == 0 && undoFinish && (status is null || setsDueDate || setsOwner))
        {
            errors.Add(new FieldError("undoFinish", "An undo sends only the status to go back to."));
        }

        return errors.Count > 0 ? (null, errors) : (new ActionChange(status, setsDueDate, dueDate, setsOwner, owner) { UndoesFinish = undoFinish }, []);
    }

    private static Person? ParseOwner(JsonElement value, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            // Kept as "no owner" so the action rules answer with their own message: every action needs one.
            return null;
        }

        string? id = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
        string? name = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
        if (!Ids.IsValidKeyPart(id))
        {
            errors.Add(new FieldError("owner", "We couldn't recognise the owner. Please choose them again from the list."));
            return null;
        }

        // A name from the tab's people picker: the one rule for names applies (SingleLineText.Name), as for every name.
        name = SingleLineText.Name(name, string.Empty);
        var nameCheck = new Validation().Required("owner", "the owner's name", name, TextLimits.Name);
        errors.AddRange(nameCheck.Errors);
        return nameCheck.IsValid ? new Person(id!, name) : null;
    }
}
