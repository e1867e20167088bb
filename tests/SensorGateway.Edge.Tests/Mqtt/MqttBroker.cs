using MQTTnet;
using MQTTnet.Protocol;
using SensorGateway.Edge.Mqtt;

namespace SensorGateway.Edge.Tests.Mqtt;

/// <summary>The Mosquitto broker that scripts/test.sh starts; tests fail (never skip) when it is not there.</summary>
internal static class MqttBroker
{
    public static string Host => Required("SG_TEST_MQTT_HOST");

    public static int Port => int.Parse(Required("SG_TEST_MQTT_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static int TlsPort => int.Parse(Required("SG_TEST_MQTT_TLS_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string CaFile => Required("SG_TEST_MQTT_CA_FILE");

    public static string User => Required("SG_TEST_MQTT_USER");

    public static string Password => Required("SG_TEST_MQTT_PASSWORD");

    public static async Task WaitSubscribedAsync(MqttReadingSource source, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (!source.IsSubscribed)
        {
            await Task.Delay(20, limit.Token);
        }
    }

    /// <summary>Publishes the payloads in order at QoS 1 on the plain listener.</summary>
    public static async Task PublishAsync(string topic, CancellationToken cancellationToken, params string[] payloads)
    {
        var factory = new MqttClientFactory();
        using var publisher = factory.CreateMqttClient();
        await publisher.ConnectAsync(factory.CreateClientOptionsBuilder().WithTcpServer(Host, Port).Build(), cancellationToken);
        foreach (var payload in payloads)
        {
            await publisher.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: cancellationToken);
        }

        await publisher.DisconnectAsync(cancellationToken: cancellationToken);
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through scripts/test.sh, which starts Mosquitto.");
}
