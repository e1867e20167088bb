namespace SensorGateway.Host.Demo;

internal static partial class DemoLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "DEMO scenario {Scenario} on site {Site}: {Devices} simulated devices, MQTT {Host}:{Port}, {Duration} at speed {Speed}; {Description}")]
    public static partial void Started(ILogger logger, string scenario, string site, int devices, string host, int port, TimeSpan duration, double speed, string description);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "DEMO t={Elapsed}s published={Published} failed={Failed} modbusRequests={ModbusRequests} alarmsRaised={Raised} escalated={Escalated} hazardRecords={Records}")]
    public static partial void Summary(ILogger logger, int elapsed, long published, long failed, long modbusRequests, int raised, int escalated, int records);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "HAZARD record {RecordId} opened for {Channel} ({Location}): {Value} {Unit}, limit {Limit}")]
    public static partial void RecordOpened(ILogger logger, string recordId, string channel, string location, double value, string unit, string limit);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "DEMO report: scenario {Scenario} played {Elapsed}s; {Published} messages published; alarms raised {Raised}, escalated {Escalated}; hazard records {Records}; expected alarms seen {Seen}/{Expected}{Missing}")]
    public static partial void Report(ILogger logger, string scenario, int elapsed, long published, int raised, int escalated, int records, int seen, int expected, string missing);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "DEMO scenario {Scenario} finished; --follow keeps the site running, Ctrl-C stops")]
    public static partial void Following(ILogger logger, string scenario);
}
