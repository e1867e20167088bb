using Microsoft.Extensions.Logging;

namespace SensorGateway.Storage.Spool;

/// <summary>The spool's log events: EventIds 4500–4599 of the storage block (4000–4999).</summary>
internal static partial class SpoolLog
{
    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Spool opened in {Directory}: {Segments} segments, {PendingRecords} pending records, next record id {NextId}")]
    public static partial void Opened(ILogger logger, string directory, int segments, long pendingRecords, long nextId);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Error, Message = "Spool segment {Segment} is corrupt at offset {Offset}: skipped {Bytes} bytes, {LostRecords} records lost; the records after it are kept")]
    public static partial void CorruptRegionSkipped(ILogger logger, string segment, long offset, long bytes, long lostRecords);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Spool segment {Segment} had a torn tail (crash during a write): truncated {Bytes} bytes at offset {Offset}")]
    public static partial void TornTailTruncated(ILogger logger, string segment, long offset, long bytes);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "Spool holds {StoredBytes} of {MaxBytes} bytes ({Percent:F0} %): the quota is nearly full")]
    public static partial void QuotaWarning(ILogger logger, long storedBytes, long maxBytes, double percent);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "Spool quota of {MaxBytes} bytes full: dropped {Dropped} oldest records ({TotalDropped} since start)")]
    public static partial void DroppedOldest(ILogger logger, long maxBytes, long dropped, long totalDropped);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Error, Message = "Spool quota of {MaxBytes} bytes full: refused {Refused} new records ({TotalRefused} since start)")]
    public static partial void RejectedNew(ILogger logger, long maxBytes, long refused, long totalRefused);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Error, Message = "Spool write to {Segment} failed; {Records} records were not stored and their appends fail")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string segment, long records);

    [LoggerMessage(EventId = 4507, Level = LogLevel.Warning, Message = "Spool cursor {Path} is unreadable ({Reason}); every record found is treated as pending and may be sent again")]
    public static partial void CursorUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4508, Level = LogLevel.Error, Message = "A handler of the spool event {EventName} threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string eventName);

    [LoggerMessage(EventId = 4509, Level = LogLevel.Error, Message = "Spool segment {Segment} has no valid header; its {LostRecords} pending records are lost")]
    public static partial void SegmentHeaderInvalid(ILogger logger, string segment, long lostRecords);
}
