namespace Postmortems.Core.Postmortems;

/// <summary>Incident severity; Sev1 is the most severe.</summary>
public enum Severity
{
    NotSet = 0,
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}
