namespace Postmortems.Core.Common;

/// <summary>
/// One problem with one field, worded for the person who typed it.
/// <see cref="Field"/> is the camelCase name of the domain property, so a form can show the message next to its input.
/// </summary>
public sealed record FieldError(string Field, string Message);
