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
public abstract record CardElement
{
    public string? Id { get; init; }

    /// <summary>none, small, default, medium, large, extraLarge, padding.</summary>
    public string? Spacing { get; init; }

    public bool? Separator { get; init; }
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

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
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
