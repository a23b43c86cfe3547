namespace Postmortems.Core.Language;

/// <summary>A gentle note about wording that may read as blame, with a neutral way to say it. It never blocks a save.</summary>
public sealed record LanguageSuggestion(string Field, string Phrase, string Suggestion);
