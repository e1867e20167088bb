using Microsoft.Extensions.Logging;

namespace SensorGateway.Storage.Forwarding;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Storage write of {Count} readings failed; retrying in {Delay}")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Storage unreachable at shutdown: {Count} readings were not written")]
    public static partial void DroppedAtShutdown(ILogger logger, Exception exception, int count);
}
