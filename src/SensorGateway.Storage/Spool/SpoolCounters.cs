namespace SensorGateway.Storage.Spool;

/// <summary>
/// A snapshot of a spool's state and running totals. Totals count since the spool was opened; a file spool
/// adds the pending records it recovered to <see cref="PendingRecords"/> but not to <see cref="Appended"/>.
/// The numbers are consistent with each other when no call is in progress.
/// </summary>
public readonly record struct SpoolCounters
{
    /// <summary>Records stored and not yet accepted, including those in flight.</summary>
    public long PendingRecords { get; init; }

    /// <summary>Records handed out by <see cref="IReadingSpool.TakeAsync"/> and not yet accepted or rejected.</summary>
    public long InFlightRecords { get; init; }

    /// <summary>
    /// Bytes the spool occupies: for the file spool the size of its segment files (what the quota limits),
    /// for the memory spool the encoded size of its pending records.
    /// </summary>
    public long StoredBytes { get; init; }

    /// <summary>The quota in bytes.</summary>
    public long MaxBytes { get; init; }

    /// <summary>
    /// Now minus the <see cref="Core.Readings.Reading.ReceivedTime"/> of the oldest pending record;
    /// <see cref="TimeSpan.Zero"/> when nothing is pending.
    /// </summary>
    public TimeSpan OldestRecordAge { get; init; }

    /// <summary>Records appended (acknowledged) since open.</summary>
    public long Appended { get; init; }

    /// <summary>Records removed by <see cref="IReadingSpool.Accept"/> since open.</summary>
    public long Accepted { get; init; }

    /// <summary>Records returned by <see cref="IReadingSpool.Reject"/> since open (a record rejected twice counts twice).</summary>
    public long Rejected { get; init; }

    /// <summary>Stored records dropped to make room under <see cref="SpoolFullPolicy.DropOldest"/>.</summary>
    public long DroppedOldest { get; init; }

    /// <summary>Readings refused under <see cref="SpoolFullPolicy.RejectNew"/> (never stored).</summary>
    public long DroppedNew { get; init; }

    /// <summary>Records found corrupt (checksum, length) and skipped, including those found while recovering.</summary>
    public long CorruptSkipped { get; init; }

    /// <summary>All records lost for any reason: quota drops, refusals and corruption.</summary>
    public long TotalDropped => DroppedOldest + DroppedNew + CorruptSkipped;

    /// <summary>The number dropped for <paramref name="reason"/>.</summary>
    public long Dropped(SpoolDropReason reason) => reason switch
    {
        SpoolDropReason.QuotaDropOldest => DroppedOldest,
        SpoolDropReason.QuotaRejectNew => DroppedNew,
        SpoolDropReason.Corrupt => CorruptSkipped,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
