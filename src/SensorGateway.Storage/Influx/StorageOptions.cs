using System.ComponentModel.DataAnnotations;

namespace SensorGateway.Storage.Influx;

/// <summary>Where readings are stored.</summary>
/// <remarks>
/// <code>
/// "Storage": { "Mode": "InfluxV2", "Url": "http://db:8086", "Token": "…", "Org": "site", "Bucket": "readings" }
/// "Storage": { "Mode": "InfluxV1", "Url": "http://db:8086", "Database": "readings", "RetentionPolicy": "autogen" }
/// "Storage": { "Mode": "Local" }   (and "Spool": { "Directory": "data/spool" } for where readings are kept)
/// </code>
/// </remarks>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Defaults to <see cref="StorageMode.Local"/>: readings stay in the local spool.</summary>
    public StorageMode Mode { get; set; } = StorageMode.Local;

    /// <summary>Database base URL, e.g. <c>http://127.0.0.1:8086</c>. Required for both Influx modes.</summary>
    public Uri? Url { get; set; }

    /// <summary>v2: API token.</summary>
    public string? Token { get; set; }

    /// <summary>v2: organisation.</summary>
    public string? Org { get; set; }

    /// <summary>v2: bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>v1: database name.</summary>
    public string? Database { get; set; }

    /// <summary>v1: retention policy; empty uses the database's default.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>v1: user name (basic authentication), optional.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Points per write. Defaults to 5000.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// Batches written to the database at the same time. Defaults to 2: the database parses one while the next is
    /// serialised and sent. A crash resends at most this many batches.
    /// </summary>
    [Range(1, 8)]
    public int WritesInFlight { get; set; } = 2;

    /// <summary>
    /// How long a reading may wait in memory for more to join its batch before it is appended to the spool.
    /// Defaults to zero: append at once (under load batches fill by themselves).
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Timestamp precision written: <c>s</c>, <c>ms</c>, <c>us</c> or <c>ns</c>. Defaults to ms.</summary>
    [RegularExpression("^(s|ms|us|ns)$", ErrorMessage = "Storage:Precision must be s, ms, us or ns.")]
    public string Precision { get; set; } = "ms";

    /// <summary>
    /// Folder of the gateway's local storage: the spool (<c>spool/</c>, unless <c>Spool:Directory</c> says otherwise)
    /// and the quarantine (<c>quarantine/</c>). Defaults to <c>data/readings</c>.
    /// </summary>
    public string LocalDirectory { get; set; } = s_defaultLocalDirectory;

    private static readonly string s_defaultLocalDirectory = Path.Combine("data", "readings");

    /// <summary>
    /// <see cref="LocalDirectory"/> straight from configuration, for the start-up code that places other local state
    /// (alarm state, hazard database) beside it before options are bound.
    /// </summary>
    public static string LocalDirectoryFrom(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[$"{SectionName}:{nameof(LocalDirectory)}"] is { Length: > 0 } directory ? directory : s_defaultLocalDirectory;
    }

    /// <summary>Where points the database refused as invalid are kept. Defaults to <c>LocalDirectory/quarantine</c>.</summary>
    public string? QuarantineDirectory { get; set; }

    /// <summary>Readings that may wait for storage before new ones are dropped (and counted). Defaults to 200,000.</summary>
    [Range(1000, 10_000_000)]
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>Per-request timeout towards the database. Defaults to 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks that go beyond attributes; each message names the key and the fix.</summary>
    public IEnumerable<string> Validate()
    {
        if (Mode is StorageMode.InfluxV1 or StorageMode.InfluxV2 && Url is null)
        {
            yield return $"Storage:Url is required when Storage:Mode is {Mode} (e.g. http://127.0.0.1:8086).";
        }

        if (Mode == StorageMode.InfluxV2)
        {
            if (string.IsNullOrWhiteSpace(Bucket))
            {
                yield return "Storage:Bucket is required when Storage:Mode is InfluxV2.";
            }

            if (string.IsNullOrWhiteSpace(Org))
            {
                yield return "Storage:Org is required when Storage:Mode is InfluxV2.";
            }
        }

        if (Mode == StorageMode.InfluxV1 && string.IsNullOrWhiteSpace(Database))
        {
            yield return "Storage:Database is required when Storage:Mode is InfluxV1.";
        }

        if (FlushInterval < TimeSpan.Zero)
        {
            yield return "Storage:FlushInterval cannot be negative; 0 appends at once.";
        }
    }
}
