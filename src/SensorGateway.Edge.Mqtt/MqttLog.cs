using Microsoft.Extensions.Logging;

namespace SensorGateway.Edge.Mqtt;

internal static partial class MqttLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    public static partial void EmbeddedBrokerStarted(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker}; session present: {SessionPresent}; subscribed to {TopicCount} topics")]
    public static partial void Connected(ILogger logger, string broker, bool sessionPresent, int topicCount);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "MQTT broker {Broker} unreachable; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, Exception exception, string broker, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Rejected MQTT payload from device {Device} on {Topic}: {Reason} ({Detail}); sample: {Sample}")]
    public static partial void PayloadRejected(ILogger logger, string device, string topic, string reason, string detail, string sample);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Lost the MQTT broker {Broker}: {Reason}")]
    public static partial void Disconnected(ILogger logger, string broker, string reason);
}
