namespace SensorGateway.Storage.Spool;

/// <summary>
/// Raised when a spool passes its warning threshold (<see cref="IReadingSpool.QuotaWarning"/>) or when its
/// quota is full and records were dropped or refused (<see cref="IReadingSpool.QuotaExceeded"/>).
/// </summary>
public sealed class SpoolQuotaEventArgs : EventArgs
{
    public SpoolQuotaEventArgs(long storedBytes, long maxBytes, SpoolFullPolicy policy, long droppedRecords, long totalDroppedRecords)
    {
        StoredBytes = storedBytes;
        MaxBytes = maxBytes;
        Policy = policy;
        DroppedRecords = droppedRecords;
        TotalDroppedRecords = totalDroppedRecords;
    }

    /// <summary>Bytes the spool occupied when the event was raised.</summary>
    public long StoredBytes { get; }

    /// <summary>The quota.</summary>
    public long MaxBytes { get; }

    /// <summary>The policy that applied.</summary>
    public SpoolFullPolicy Policy { get; }

    /// <summary>Records dropped or refused by the occurrence this event reports; 0 for a warning.</summary>
    public long DroppedRecords { get; }

    /// <summary>Records dropped or refused for quota since the spool was opened.</summary>
    public long TotalDroppedRecords { get; }

    /// <summary>Fraction of the quota in use, 0 to 1 (may exceed 1 briefly, see the spool's remarks).</summary>
    public double UsedRatio => MaxBytes <= 0 ? 0 : (double)StoredBytes / MaxBytes;
}
