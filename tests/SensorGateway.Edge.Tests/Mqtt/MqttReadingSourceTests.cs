using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;

namespace SensorGateway.Edge.Tests.Mqtt;

/// <summary>The ingest client against a real Mosquitto broker started by scripts/test.sh.</summary>
public sealed class MqttReadingSourceTests
{
    [Fact]
    public async Task Readings_MessagesOnDeviceTopic_ArriveInOrderAndBadOnesAreCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        var (host, port) = Broker();
        var siteId = $"edge-{Guid.NewGuid():N}";
        var topic = $"{siteId}/gd-01";
        var channel = new ChannelId(siteId, "gd-01", "lel");
        var site = new SiteDefinition(siteId, "Site", Sectors.Find("city_gas")!,
        [
            new DeviceDefinition("gd-01", "GD", "", null, new MqttDeviceAddress(topic), TimeSpan.FromSeconds(1),
                [new ChannelDefinition(channel, "gas.combustible", "%LEL", null)], new Dictionary<string, string>()),
        ]);
        var source = new MqttReadingSource(site, Options.Create(new MqttIngestOptions { Host = host, Port = port, ClientId = siteId }),
            TimeProvider.System, NullLogger<MqttReadingSource>.Instance);
        var received = source.Readings.Take(3).ToArray().ToTask(ct);
        using (var subscribing = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            subscribing.CancelAfter(TimeSpan.FromSeconds(30));
            while (!source.IsSubscribed)
            {
                await Task.Delay(20, subscribing.Token);
            }
        }

        var factory = new MqttClientFactory();
        using var publisher = factory.CreateMqttClient();
        await publisher.ConnectAsync(factory.CreateClientOptionsBuilder().WithTcpServer(host, port).Build(), ct);
        foreach (var payload in new[] { """{"seq":1,"readings":[{"channel":"lel","value":1.5}]}""", "not json", """{"seq":2,"readings":[{"channel":"lel","value":2.5}]}""", """{"seq":3,"readings":[{"channel":"lel","value":3.5}]}""" })
        {
            await publisher.PublishStringAsync(topic, payload, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        }

        var readings = await received.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([(1L, 1.5), (2L, 2.5), (3L, 3.5)], readings.Select(r => (r.Sequence, r.Value)));
        Assert.All(readings, r => Assert.Same(channel, r.Channel));
        Assert.Equal(1, source.RejectedCount);
    }

    private static (string Host, int Port) Broker() =>
        (Environment.GetEnvironmentVariable("SG_TEST_MQTT_HOST") is { Length: > 0 } host &&
         int.TryParse(Environment.GetEnvironmentVariable("SG_TEST_MQTT_PORT"), out var port))
            ? (host, port)
            : throw new InvalidOperationException("SG_TEST_MQTT_HOST/SG_TEST_MQTT_PORT are not set: run the tests through scripts/test.sh, which starts Mosquitto.");
}
