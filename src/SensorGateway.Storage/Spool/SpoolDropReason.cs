namespace SensorGateway.Storage.Spool;

/// <summary>Why records left a spool without being accepted by the database.</summary>
public enum SpoolDropReason
{
    /// <summary>The quota was full under <see cref="SpoolFullPolicy.DropOldest"/>: old records made room.</summary>
    QuotaDropOldest = 0,

    /// <summary>The quota was full under <see cref="SpoolFullPolicy.RejectNew"/>: the new append was refused.</summary>
    QuotaRejectNew = 1,

    /// <summary>The record's frame failed its checksum or length checks (bit rot, a torn write in the middle).</summary>
    Corrupt = 2,
}
