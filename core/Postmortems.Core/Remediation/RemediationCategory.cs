namespace Postmortems.Core.Remediation;

/// <summary>The remediation questions of the postmortem document, in its order.</summary>
public enum RemediationCategory
{
    /// <summary>How do we find this, or a problem like it, sooner, before a customer does?</summary>
    Detect = 0,

    /// <summary>How do we react faster and in a more organised way?</summary>
    React = 1,

    /// <summary>How do we stop the bleeding faster next time?</summary>
    QuickFix = 2,

    /// <summary>How do we prevent it or reduce its impact?</summary>
    Prevent = 3,

    /// <summary>Where else do the same design assumptions or code stand?</summary>
    OtherAreasOfRisk = 4,
}
