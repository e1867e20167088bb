namespace SensorGateway.Host.Demo;

internal static partial class DemoLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Demo: simulating site {Site} on MQTT {Host}:{Port}; a leak starts at {Device}/{Channel} after {StartsAfter}")]
    public static partial void Started(ILogger logger, string site, string host, int port, string device, string channel, TimeSpan startsAfter);
}
