using Microsoft.Extensions.Logging;

namespace SensorGateway.Edge.Modbus;

internal static partial class ModbusPollLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Polling {DeviceCount} Modbus devices over {EndpointCount} connections or buses")]
    public static partial void Started(ILogger logger, int deviceCount, int endpointCount);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Device {Device} ({Endpoint}, unit {UnitId}) stopped answering: {Reason}; its channels are bad (comm failure) until it answers; next try in {Retry}")]
    public static partial void DeviceLost(ILogger logger, string device, string endpoint, byte unitId, string reason, TimeSpan retry);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Device {Device} ({Endpoint}, unit {UnitId}) answers again after {Failures} failed polls")]
    public static partial void DeviceBack(ILogger logger, string device, string endpoint, byte unitId, int failures);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Device {Device} is not the model its profile describes: {Mismatch}; its readings are marked bad until the site file names the right profile")]
    public static partial void IdentityMismatch(ILogger logger, string device, string mismatch);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Poll of {Device} took {Elapsed:0} ms, longer than its {Interval:0} ms interval; {Endpoint} had {PollsInProgress:0.0} polls in progress on average over the last 10-20 s")]
    public static partial void Overrun(ILogger logger, string device, double elapsed, double interval, string endpoint, double pollsInProgress);
}
