using Microsoft.Extensions.Logging;

namespace SensorGateway.Storage.Forwarding;

internal static partial class SpoolForwarderLog
{
    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Database write of {Count} readings failed ({Reason}); kept in the spool ({Pending} pending) and retried")]
    public static partial void WriteFailed(ILogger logger, string reason, int count, long pending);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "The database refused a point of {Channel} as invalid ({Reason}); it is kept in {Directory}")]
    public static partial void Quarantined(ILogger logger, string channel, string reason, string directory);
}
