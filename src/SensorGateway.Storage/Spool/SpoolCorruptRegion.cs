namespace SensorGateway.Storage.Spool;

/// <summary>
/// Damaged bytes inside a segment that were skipped: the records they held are lost, every record after
/// them is kept.
/// </summary>
/// <param name="Segment">The segment file name.</param>
/// <param name="Offset">Byte offset of the first damaged byte in the file.</param>
/// <param name="Length">Number of bytes skipped.</param>
/// <param name="LostRecords">Pending records lost (from the gap in record ids).</param>
public sealed record SpoolCorruptRegion(string Segment, long Offset, long Length, long LostRecords);
