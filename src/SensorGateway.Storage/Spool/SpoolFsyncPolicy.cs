namespace SensorGateway.Storage.Spool;

/// <summary>When the file spool forces appended records to stable storage (fsync) before acknowledging them.</summary>
public enum SpoolFsyncPolicy
{
    /// <summary>
    /// Concurrent appends are coalesced into one write and one fsync; every append returns after the fsync
    /// that covers it. Survives a power loss. The default.
    /// </summary>
    GroupCommit = 0,

    /// <summary>
    /// Every append is written and fsynced on its own, one after the other. Survives a power loss; the
    /// slowest policy, for comparison and for disks whose cache lies about group commits.
    /// </summary>
    Always = 1,

    /// <summary>
    /// Appends are written to the operating system (coalesced like <see cref="GroupCommit"/>) and never
    /// fsynced. Survives a crash or kill of the gateway process, not a power loss or kernel crash.
    /// </summary>
    Never = 2,
}
