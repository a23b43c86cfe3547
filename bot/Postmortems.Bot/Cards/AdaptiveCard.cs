using System.Text.Json.Serialization;

namespace Postmortems.Bot.Cards;

/// <summary>
/// The Adaptive Card elements the product uses, as typed records (Adaptive Cards schema 1.5, which Teams renders on
/// desktop, web and mobile). Serialized with ProtocolJson.Options: camelCase, nulls left out, "type" first.
/// </summary>
public sealed record AdaptiveCard
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    [JsonPropertyOrder(-2)]
    public string Type => "AdaptiveCard";

    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-1)]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    public string Version { get; init; } = "1.5";

    public IReadOnlyList<CardElement> Body { get; init; } = [];

    public IReadOnlyList<CardAction>? Actions { get; init; }

    /// <summary>Shown where a client cannot render the card (and read by screen readers in notifications).</summary>
    public string? FallbackText { get; init; }

    /// <summary>Teams-specific: use the full width of the chat.</summary>
    [JsonPropertyName("msteams")]
    public TeamsCardProperties? Msteams { get; init; } = new("Full");
}

public sealed record TeamsCardProperties(string Width);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(InputText), "Input.Text")]
[JsonDerivedType(typeof(InputDate), "Input.Date")]
[JsonDerivedType(typeof(InputTime), "Input.Time")]
[JsonDerivedType(typeof(InputChoiceSet), "Input.ChoiceSet")]
public abstract record CardElement
{
    public string? Id { get; init; }

    /// <summary>none, small, default, medium, large, extraLarge, padding.</summary>
    public string? Spacing { get; init; }

    public bool? Separator { get; init; }

    /// <summary>False to start hidden; an <see cref="ToggleVisibilityAction"/> naming its <see cref="Id"/> shows it.</summary>
    public bool? IsVisible { get; init; }
}

public sealed record TextBlock(string Text) : CardElement
{
    public bool Wrap { get; init; } = true;

    /// <summary>small, default, medium, large, extraLarge.</summary>
    public string? Size { get; init; }

    /// <summary>lighter, default, bolder.</summary>
    public string? Weight { get; init; }

    public bool? IsSubtle { get; init; }

    /// <summary>default, dark, light, accent, good, warning, attention.</summary>
    public string? Color { get; init; }

    /// <summary>heading marks the text as a heading for screen readers (schema 1.5).</summary>
    public string? Style { get; init; }
}

public sealed record Fact(string Title, string Value);

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    /// <summary>default, emphasis, good, attention, warning, accent.</summary>
    public string? Style { get; init; }
}

public sealed record ActionSet(IReadOnlyList<CardAction> Actions) : CardElement;

/// <summary>
/// An input. Labels are read by screen readers; isRequired and errorMessage let Teams check before sending, but every
/// value is checked again on the server (client checks are advisory).
/// </summary>
public abstract record CardInput : CardElement
{
    public string? Label { get; init; }

    public bool? IsRequired { get; init; }

    public string? ErrorMessage { get; init; }
}

public sealed record InputText : CardInput
{
    public string? Value { get; init; }

    public string? Placeholder { get; init; }

    public bool? IsMultiline { get; init; }

    /// <summary>A hint to the client; the server enforces its own limits.</summary>
    public int? MaxLength { get; init; }
}

/// <summary>A date; values are "YYYY-MM-DD".</summary>
public sealed record InputDate : CardInput
{
    public string? Value { get; init; }
}

/// <summary>A time of day; values are "HH:MM".</summary>
public sealed record InputTime : CardInput
{
    public string? Value { get; init; }
}

public sealed record Choice(string Title, string Value);

/// <summary>Choices filled by the client from a dataset, e.g. the people picker "graph.microsoft.com/users".</summary>
public sealed record DataQuery(string Dataset)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Data.Query";
}

public sealed record InputChoiceSet : CardInput
{
    public IReadOnlyList<Choice> Choices { get; init; } = [];

    /// <summary>Dynamic choices (Adaptive Cards 1.5 "choices.data"); Teams uses it for the people picker.</summary>
    [JsonPropertyName("choices.data")]
    public DataQuery? ChoicesData { get; init; }

    public string? Value { get; init; }

    /// <summary>compact (a drop-down), expanded (radio buttons) or filtered (type to search).</summary>
    public string? Style { get; init; }

    public string? Placeholder { get; init; }

    /// <summary>Several choices at once; the value is then the chosen values joined with commas.</summary>
    public bool? IsMultiSelect { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(ToggleVisibilityAction), "Action.ToggleVisibility")]
public abstract record CardAction(string Title)
{
    public string? Id { get; init; }

    /// <summary>default, positive, destructive.</summary>
    public string? Style { get; init; }
}

/// <summary>Universal Actions: Teams sends an invoke "adaptiveCard/action" with the verb, the data and the inputs.</summary>
public sealed record ExecuteAction(string Title, string Verb) : CardAction(Title)
{
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>auto (send the card's inputs) or none.</summary>
    public string? AssociatedInputs { get; init; }
}

public sealed record OpenUrlAction(string Title, Uri Url) : CardAction(Title);

/// <summary>
/// Action.Submit: in a dialog (task module), the only way to send its inputs back (Teams then invokes task/submit or, for a
/// message extension, composeExtension/submitAction with the data merged with the inputs).
/// </summary>
public sealed record SubmitAction(string Title) : CardAction(Title)
{
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}

/// <summary>Shows or hides the elements it names, on the client, without a round trip (Teams renders it on every client).</summary>
public sealed record ToggleVisibilityAction(string Title, IReadOnlyList<string> TargetElements) : CardAction(Title);
