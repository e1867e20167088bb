namespace SensorGateway.Storage.Spool;

/// <summary>
/// An incomplete record at the end of the newest segment, left by a crash in the middle of a write, and
/// truncated away. Under a fsync policy other than <see cref="SpoolFsyncPolicy.Never"/> it was never
/// acknowledged.
/// </summary>
/// <param name="Segment">The segment file name.</param>
/// <param name="Offset">The length the file was truncated to.</param>
/// <param name="Length">Number of bytes truncated.</param>
public sealed record SpoolTornTail(string Segment, long Offset, long Length);
