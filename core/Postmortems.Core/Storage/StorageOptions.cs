using System.ComponentModel.DataAnnotations;

namespace Postmortems.Core.Storage;

/// <summary>Settings under "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The Table service endpoint, for example https://myaccount.table.core.windows.net. When set, the app signs in
    /// with DefaultAzureCredential (managed identity in Azure) and <see cref="ConnectionString"/> is ignored.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>A connection string, for local development only. Default: Azurite on 127.0.0.1.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The client id of a user-assigned managed identity; empty uses the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to every table name, so several environments can share one account. Letters and digits only.</summary>
    [RegularExpression("^[A-Za-z0-9]{0,20}$", ErrorMessage = "Storage:TablePrefix may hold up to 20 letters and digits.")]
    public string TablePrefix { get; set; } = string.Empty;

    /// <summary>How long one storage call may take before it is given up, in seconds (each retry included).</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long all the storage work of one Teams message or card press may take together (every call and retry), in
    /// seconds, before the user is told "not saved, try again". Teams waits 15 s for an invoke's answer, so the default
    /// leaves room for the answer itself.
    /// </summary>
    [Range(1, 14)]
    public int RequestDeadlineSeconds { get; set; } = 10;

    public TimeSpan RequestDeadline => TimeSpan.FromSeconds(RequestDeadlineSeconds);
}
