using MQTTnet;
using MQTTnet.Protocol;

namespace SensorGateway.IntegrationTests.Infrastructure;

/// <summary>Publishes JSON reading messages the way a site device does.</summary>
internal sealed class MqttTestPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private MqttTestPublisher(IMqttClient client) => _client = client;

    public static async Task<MqttTestPublisher> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        var client = factory.CreateMqttClient();
        var options = factory.CreateClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"it-{Guid.NewGuid():N}").Build();
        await client.ConnectAsync(options, cancellationToken);
        return new MqttTestPublisher(client);
    }

    public Task PublishAsync(string topic, string payload, CancellationToken cancellationToken) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    public Task PublishReadingAsync(string topic, long seq, double value, DateTimeOffset time, CancellationToken cancellationToken) =>
        PublishAsync(topic, $$"""{"seq":{{seq}},"ts":"{{time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}}","readings":[{"channel":"lel","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}]}""", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
