namespace SensorGateway.Host.Demo;

internal static partial class DemoLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "DEMO site {Site} '{Name}' plays {Scenario}: {Devices} devices, {Modbus}, {MqttDevices} over MQTT; {Description}")]
    public static partial void SiteStarted(ILogger logger, string site, string name, string scenario, int devices, string modbus, int mqttDevices, string description);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "DEMO playing {Sites} sites for {Duration}s at speed {Speed}; MQTT devices publish to {Host}:{Port}")]
    public static partial void Playing(ILogger logger, int sites, double duration, double speed, string host, int port);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "DEMO t={Elapsed}s {Site}: {Readings} readings from {DevicesHeard}/{Devices} devices; alarms raised {Raised}, escalated {Escalated}; hazard records {Records}")]
    public static partial void Summary(ILogger logger, int elapsed, string site, long readings, int devicesHeard, int devices, int raised, int escalated, int records);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "HAZARD record {RecordId} opened for {Channel} ({Location}): {Value:0.###} {Unit}, limit {Limit}")]
    public static partial void RecordOpened(ILogger logger, string recordId, string channel, string location, double value, string unit, string limit);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "DEMO report: played {Elapsed}s of {Sites} sites; {Readings} readings; {Published} MQTT messages published, {ModbusRequests} Modbus requests served")]
    public static partial void Report(ILogger logger, int elapsed, int sites, long readings, long published, long modbusRequests);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "DEMO report {Site} (scenario {Scenario}): {Readings} readings from {DevicesHeard}/{Devices} devices and {ChannelsHeard}/{Channels} channels; alarms raised {Raised}, escalated {Escalated}; hazard records {Records}; expected alarms seen {Seen}/{Expected}{Missing}")]
    public static partial void SiteReport(ILogger logger, string site, string scenario, long readings, int devicesHeard, int devices, int channelsHeard, int channels,
        int raised, int escalated, int records, int seen, int expected, string missing);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "DEMO scenarios finished; --follow keeps the sites running, Ctrl-C stops")]
    public static partial void Following(ILogger logger);
}
