using Microsoft.Extensions.Logging;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Hazards;

namespace SensorGateway.Grpc.Hazards;

/// <summary>Log events of the hazard service (EventIds 7000–7099).</summary>
internal static partial class HazardsLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information,
        Message = "Hazard log loaded: {Records} records ({Open} open), events {Oldest}..{Last}")]
    public static partial void Loaded(ILogger logger, int records, int open, ulong oldest, ulong last);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Hazard {RecordId} opened by {Channel} at {Level} (event {Sequence})")]
    public static partial void Opened(ILogger logger, string recordId, string channel, AlarmLevel level, ulong sequence);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information,
        Message = "Hazard {RecordId}: {Action} {From} -> {To} by {Actor} (event {Sequence})")]
    public static partial void Transitioned(ILogger logger, string recordId, HazardAction action, HazardStatus from, HazardStatus to, string actor, ulong sequence);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Subscriber cut off after sequence {Sequence}: more than {Buffer} events behind")]
    public static partial void SlowSubscriber(ILogger logger, ulong sequence, int buffer);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Call {Method} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Critical,
        Message = "Hazard events {First}..{Last} could not be committed (attempt {Attempt}); publishing waits until they are")]
    public static partial void CommitFailed(ILogger logger, ulong first, ulong last, int attempt, Exception exception);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Hazard API: {Mode}")]
    public static partial void SecurityMode(ILogger logger, string mode);
}
