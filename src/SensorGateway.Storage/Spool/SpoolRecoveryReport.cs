namespace SensorGateway.Storage.Spool;

/// <summary>What <see cref="FileReadingSpool.Open"/> found in the spool directory.</summary>
public sealed record SpoolRecoveryReport
{
    /// <summary>Segment files scanned.</summary>
    public int SegmentsScanned { get; init; }

    /// <summary>Records recovered and pending (not yet accepted).</summary>
    public long PendingRecords { get; init; }

    /// <summary>The acknowledgement mark read from the cursor file: records below it were accepted.</summary>
    public long AcceptedBelowId { get; init; }

    /// <summary>Whether the cursor file was missing or unreadable (everything found is then pending).</summary>
    public bool CursorMissing { get; init; }

    /// <summary>Damaged regions skipped in the middle of the spool.</summary>
    public IReadOnlyList<SpoolCorruptRegion> CorruptRegions { get; init; } = [];

    /// <summary>The torn tail truncated from the newest segment, if there was one.</summary>
    public SpoolTornTail? TornTail { get; init; }

    /// <summary>Pending records lost to corruption (the sum over <see cref="CorruptRegions"/>).</summary>
    public long CorruptRecords => CorruptRegions.Sum(r => r.LostRecords);
}
