namespace SensorGateway.Storage.Spool;

/// <summary>What a spool does when its quota is full. Whatever it does is counted and announced.</summary>
public enum SpoolFullPolicy
{
    /// <summary>
    /// Drop the oldest pending records (the file spool drops its oldest whole segment) to make room, so the
    /// newest data is kept. The default: after an outage the recent readings matter most.
    /// </summary>
    DropOldest = 0,

    /// <summary>Refuse the new append with a <see cref="SpoolFullException"/>; the stored records are kept.</summary>
    RejectNew = 1,
}
