namespace Postmortems.Core.Common;

/// <summary>A person as Microsoft Entra ID knows them: the object id is the identity, the name is for display.</summary>
public sealed record Person(string ObjectId, string DisplayName);
