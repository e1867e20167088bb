namespace SensorGateway.Storage.Spool.Internal;

internal enum SpoolFrameStatus
{
    /// <summary>A complete frame with a valid checksum.</summary>
    Valid,

    /// <summary>The bytes so far are a plausible frame start, but the frame is not complete.</summary>
    Incomplete,

    /// <summary>Not a frame here: wrong magic, impossible length or a checksum mismatch.</summary>
    Invalid,
}
