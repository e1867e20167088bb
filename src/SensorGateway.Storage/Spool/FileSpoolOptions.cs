namespace SensorGateway.Storage.Spool;

/// <summary>
/// Settings of the on-disk spool (<see cref="FileReadingSpool"/>).
/// </summary>
/// <remarks>
/// <code>
/// "Spool": { "Directory": "/var/lib/sensorgateway/spool", "SegmentBytes": 33554432, "MaxBytes": 8589934592,
///            "FullPolicy": "DropOldest", "FsyncPolicy": "GroupCommit", "GroupCommitInterval": "00:00:00" }
/// </code>
/// A reading takes about 100 bytes on disk (see docs/SPOOL.md), so 8 GiB hold some 80 million readings:
/// 11 hours at 2,000 readings/s.
/// </remarks>
public sealed class FileSpoolOptions
{
    public const string SectionName = "Spool";

    /// <summary>Smallest segment size accepted (tests use small segments; production wants 16–64 MiB).</summary>
    public const long MinSegmentBytes = 4096;

    /// <summary>Largest segment size accepted.</summary>
    public const long MaxSegmentBytes = 1L << 30;

    /// <summary>The spool directory; created if missing. The spool holds a lock file in it while open.</summary>
    public string Directory { get; set; } = "data/spool";

    /// <summary>Size at which a segment file is closed and a new one started. Defaults to 32 MiB.</summary>
    public long SegmentBytes { get; set; } = 32L << 20;

    /// <summary>
    /// The quota: the most bytes the segment files may take. At least four segments. Defaults to 8 GiB.
    /// </summary>
    public long MaxBytes { get; set; } = 8L << 30;

    /// <summary>What happens when the quota is full. Defaults to <see cref="SpoolFullPolicy.DropOldest"/>.</summary>
    public SpoolFullPolicy FullPolicy { get; set; } = SpoolFullPolicy.DropOldest;

    /// <summary>When appends are forced to disk. Defaults to <see cref="SpoolFsyncPolicy.GroupCommit"/>.</summary>
    public SpoolFsyncPolicy FsyncPolicy { get; set; } = SpoolFsyncPolicy.GroupCommit;

    /// <summary>
    /// Under <see cref="SpoolFsyncPolicy.GroupCommit"/>, the least time between two fsyncs: a positive value
    /// makes appenders wait up to this long so that more of them share one fsync (fewer fsyncs, more latency).
    /// Defaults to zero: the next fsync starts as soon as the previous one finished, which already coalesces
    /// every append that arrived meanwhile. At most one second.
    /// </summary>
    public TimeSpan GroupCommitInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Fraction of <see cref="MaxBytes"/> at which the quota warning is raised. Defaults to 0.8.</summary>
    public double WarningThreshold { get; set; } = 0.8;

    /// <summary>The problems with these settings, each naming its field; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{SectionName}:{nameof(Directory)} must name a directory.");
        }

        if (SegmentBytes is < MinSegmentBytes or > MaxSegmentBytes)
        {
            errors.Add($"{SectionName}:{nameof(SegmentBytes)} is {SegmentBytes}; it must be between {MinSegmentBytes} and {MaxSegmentBytes}.");
        }

        if (MaxBytes < 4 * SegmentBytes)
        {
            errors.Add($"{SectionName}:{nameof(MaxBytes)} is {MaxBytes}; it must be at least four segments ({nameof(SegmentBytes)} × 4 = {4 * SegmentBytes}).");
        }

        if (!Enum.IsDefined(FullPolicy))
        {
            errors.Add($"{SectionName}:{nameof(FullPolicy)} '{FullPolicy}' is not one of {string.Join(", ", Enum.GetNames<SpoolFullPolicy>())}.");
        }

        if (!Enum.IsDefined(FsyncPolicy))
        {
            errors.Add($"{SectionName}:{nameof(FsyncPolicy)} '{FsyncPolicy}' is not one of {string.Join(", ", Enum.GetNames<SpoolFsyncPolicy>())}.");
        }

        if (GroupCommitInterval < TimeSpan.Zero || GroupCommitInterval > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{SectionName}:{nameof(GroupCommitInterval)} is {GroupCommitInterval}; it must be between 00:00:00 and 00:00:01.");
        }

        if (double.IsNaN(WarningThreshold) || WarningThreshold is <= 0 or > 1)
        {
            errors.Add($"{SectionName}:{nameof(WarningThreshold)} is {WarningThreshold}; it must be above 0 and at most 1.");
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem, if there is one.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid spool settings: " + string.Join(" ", errors));
        }
    }
}
