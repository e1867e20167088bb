using SensorGateway.Core.Alarms;

namespace SensorGateway.Host.Pipeline;

internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Reading pipeline started with {SourceCount} adapters: {Sources}")]
    public static partial void Started(ILogger logger, int sourceCount, string sources);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Reading pipeline stopped after {Accepted} readings; {Dropped} dropped by storage back-pressure")]
    public static partial void Stopped(ILogger logger, long accepted, long dropped);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "ALARM {Kind} {Level} {Channel} = {Value:0.###} {Unit} (limit {Limit}): {Message}")]
    public static partial void Alarm(ILogger logger, AlarmEventKind kind, AlarmLevel level, string channel, double value, string unit, string limit, string message);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Storage queue full ({Capacity} readings): {Dropped} readings dropped so far")]
    public static partial void StorageOverflow(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Critical, Message = "Alarm event {Kind} of {Channel} could not be recorded in the hazard log")]
    public static partial void PublishFailed(ILogger logger, string channel, AlarmEventKind kind, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Critical, Message = "Reading pipeline failed; no more readings are processed")]
    public static partial void Failed(ILogger logger, Exception exception);
}
