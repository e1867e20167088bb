namespace SensorGateway.Host.Storage;

internal static partial class StorageFaultLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Spool at {StoredBytes} of {MaxBytes} bytes: the database has been away long; readings will be dropped when it is full")]
    public static partial void QuotaWarning(ILogger logger, long storedBytes, long maxBytes);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Error, Message = "Storage is losing readings: {Message}")]
    public static partial void Dropped(ILogger logger, string message);
}
