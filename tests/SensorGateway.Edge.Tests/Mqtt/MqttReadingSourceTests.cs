using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Tests.Mqtt;

/// <summary>The ingest client against the real Mosquitto broker started by scripts/test.sh (plain and TLS + password listeners).</summary>
public sealed class MqttReadingSourceTests : IDisposable
{
    private readonly string _deadLetters = Directory.CreateTempSubdirectory("dead-letter-").FullName;

    public void Dispose() => Directory.Delete(_deadLetters, recursive: true);

    [Fact]
    public async Task Readings_MessagesOnDeviceTopic_ArriveInOrderAndBadOnesGoToDeadLetters()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, topic, channel) = OneDetector();
        var source = Source(site, new MqttIngestOptions { Host = MqttBroker.Host, Port = MqttBroker.Port, ClientId = site.Id });
        var received = source.Readings.Take(3).ToArray().ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(source, ct);

        await MqttBroker.PublishAsync(topic, ct,
            """{"seq":1,"readings":[{"channel":"lel","value":1.5}]}""", "not json",
            """{"seq":2,"readings":[{"channel":"lel","value":2.5}]}""", """{"seq":3,"readings":[{"channel":"lel","value":3.5}]}""");
        var readings = await received.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([(1L, 1.5), (2L, 2.5), (3L, 3.5)], readings.Select(r => (r.Sequence, r.Value)));
        Assert.All(readings, r => Assert.Same(channel, r.Channel));
        Assert.Equal(1, source.RejectedCount);
        var deadLetter = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(_deadLetters, "mqtt-*.jsonl"))));
        Assert.Contains($"\"topic\":\"{topic}\",\"device\":\"gd-01\",\"reason\":\"invalid_json\"", deadLetter, StringComparison.Ordinal);
        Assert.EndsWith("\"encoding\":\"utf-8\",\"payload\":\"not json\"}", deadLetter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readings_RedeliveredSequencesInAnyOrder_AreDroppedButUnseenOnesAreNot()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, topic, _) = OneDetector();
        var source = Source(site, new MqttIngestOptions { Host = MqttBroker.Host, Port = MqttBroker.Port, ClientId = site.Id, DuplicateWindow = 100 });
        var received = source.Readings.Take(5).ToArray().ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(source, ct);

        // 502 overtakes 501 (a redelivered in-flight message arriving after newer ones); 500 and 502 come twice.
        string Message(int seq) => $$"""{"seq":{{seq}},"readings":[{"channel":"lel","value":{{seq}}}]}""";
        await MqttBroker.PublishAsync(topic, ct, Message(500), Message(502), Message(501), Message(500), Message(502), Message(503), Message(1));
        var readings = await received.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([500L, 502, 501, 503, 1], readings.Select(r => r.Sequence));
        Assert.Equal(2, source.DuplicateCount);
    }

    [Fact]
    public async Task Readings_TlsListenerWithPassword_ConnectsTrustingTheConfiguredCa()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, topic, _) = OneDetector();
        var source = Source(site, new MqttIngestOptions
        {
            Host = "localhost", Port = MqttBroker.TlsPort, UseTls = true, CaCertificateFile = MqttBroker.CaFile,
            Username = MqttBroker.User, Password = MqttBroker.Password, ClientId = site.Id,
        });
        var received = source.Readings.Take(1).ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(source, ct);

        await MqttBroker.PublishAsync(topic, ct, """{"seq":7,"readings":[{"channel":"lel","value":4.25}]}""");

        var reading = await received.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal((7L, 4.25), (reading.Sequence, reading.Value));
    }

    [Fact]
    public async Task Readings_ProfileDescribedJson_DecodedPerProfilePaths()
    {
        var ct = TestContext.Current.CancellationToken;
        var profiles = new FirmwareProfileCatalog(FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles")));
        var siteId = $"edge-{Guid.NewGuid():N}"[..17];
        var site = Profiles.Sites.SiteFileLoader.Parse("site.yaml", $$"""
            site: { id: {{siteId}}, sector: city_gas }
            devices:
              - { id: wgd-1, profile: mqtt/json-gas-detector, mqtt: {} }
            """, profiles.Profiles);
        var source = new MqttReadingSource(site.Devices, Options.Create(new MqttIngestOptions { Host = MqttBroker.Host, Port = MqttBroker.Port, ClientId = siteId, DeadLetterDirectory = _deadLetters }),
            TimeProvider.System, NullLogger<MqttReadingSource>.Instance, profiles: profiles);
        var received = source.Readings.Take(4).ToArray().ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(source, ct);

        await MqttBroker.PublishAsync($"{siteId}/wireless/wgd-1/up", ct,
            """{"ts":1764392400000,"sn":812,"data":{"lel":3.2,"h2s":0.4,"state":0}}""",
            """{"ts":1764392401000,"sn":813,"data":{"lel":3.3,"h2s":0.5,"state":1}}""");
        var readings = await received.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1764392400000);
        Assert.Equal(
            [("lel", 3.2, Quality.Good, 812L, t0), ("h2s", 0.4, Quality.Good, 812L, t0),
             ("lel", 3.3, Quality.Bad(QualityReason.SensorFault), 813L, t0.AddSeconds(1)), ("h2s", 0.5, Quality.Bad(QualityReason.SensorFault), 813L, t0.AddSeconds(1))],
            readings.Select(r => (r.Channel.Channel, r.Value, r.Quality, r.Sequence, r.SourceTime)));
    }

    [Fact]
    public async Task Readings_NotYetDurable_StayUnacknowledgedAndTheBrokerRedeliversThemToTheNextSession()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, topic, _) = OneDetector();
        var options = new MqttIngestOptions { Host = MqttBroker.Host, Port = MqttBroker.Port, ClientId = site.Id };
        var neverDurable = new GatedDurability();
        var first = Source(site, options, neverDurable);
        var firstReadings = first.Readings.Take(2).ToArray().ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(first, ct);

        await MqttBroker.PublishAsync(topic, ct, """{"seq":1,"readings":[{"channel":"lel","value":1}]}""", """{"seq":2,"readings":[{"channel":"lel","value":2}]}""");
        Assert.Equal([1L, 2], (await firstReadings.WaitAsync(TimeSpan.FromSeconds(30), ct)).Select(r => r.Sequence));
        Assert.Equal(2, first.AwaitingAcknowledgement);

        // The first gateway stops before storage made the readings durable; the same client id comes back.
        var second = Source(site, options, new GatedDurability(open: true));
        var redelivered = await second.Readings.Take(2).ToArray().ToTask(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([1L, 2], redelivered.Select(r => r.Sequence));
        await WaitUntilAsync(() => second.AwaitingAcknowledgement == 0, ct);
    }

    [Fact]
    public async Task Readings_OnceDurable_AreAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, topic, _) = OneDetector();
        var durability = new GatedDurability();
        var source = Source(site, new MqttIngestOptions { Host = MqttBroker.Host, Port = MqttBroker.Port, ClientId = site.Id }, durability);
        var received = source.Readings.Take(3).ToArray().ToTask(ct);
        await MqttBroker.WaitSubscribedAsync(source, ct);

        await MqttBroker.PublishAsync(topic, ct, """{"seq":1,"readings":[{"channel":"lel","value":1}]}""", """{"seq":2,"readings":[{"channel":"lel","value":2}]}""",
            """{"seq":3,"readings":[{"channel":"lel","value":3}]}""");
        await received.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var before = source.AwaitingAcknowledgement;
        durability.Open();

        Assert.Equal(3, before);
        await WaitUntilAsync(() => source.AwaitingAcknowledgement == 0, ct);
    }

    [Fact]
    public void ClientOptions_SocketBufferBytes_SizesTheBrokerConnectionsBuffers()
    {
        var (site, _, _) = OneDetector();
        var source = Source(site, new MqttIngestOptions { Host = "broker.site.local", SocketBufferBytes = 2 * 1024 * 1024 });

        var options = source.ClientOptions(new MQTTnet.MqttClientFactory(), "broker.site.local", 1883);

        // The client sets both socket buffers from this one figure; its own default is 8 KiB.
        Assert.Equal(2 * 1024 * 1024, Assert.IsType<MQTTnet.MqttClientTcpOptions>(options.ChannelOptions).BufferSize);
        Assert.Equal(1024 * 1024, new MqttIngestOptions().SocketBufferBytes);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }

    /// <summary>Storage whose durability the test decides: nothing is durable until <see cref="Open"/>.</summary>
    private sealed class GatedDurability(bool open = false) : SensorGateway.Core.Pipeline.IReadingDurability
    {
        private readonly TaskCompletionSource _open = NewGate(open);
        private long _accepted;

        public long Accepted => Interlocked.Increment(ref _accepted);

        public Task WhenDurableAsync(long count, CancellationToken cancellationToken) => _open.Task.WaitAsync(cancellationToken);

        public void Open() => _open.TrySetResult();

        private static TaskCompletionSource NewGate(bool open)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                gate.SetResult();
            }

            return gate;
        }
    }

    private (SiteDefinition Site, string Topic, ChannelId Channel) OneDetector()
    {
        var siteId = $"edge-{Guid.NewGuid():N}";
        var topic = $"{siteId}/gd-01";
        var channel = new ChannelId(siteId, "gd-01", "lel");
        var site = new SiteDefinition(siteId, "Site", Sectors.Find("city_gas")!,
        [
            new DeviceDefinition("gd-01", "GD", "", null, new MqttDeviceAddress(topic), TimeSpan.FromSeconds(1),
                [new ChannelDefinition(channel, "gas.combustible", "%LEL", null)], new Dictionary<string, string>()),
        ]);
        return (site, topic, channel);
    }

    private MqttReadingSource Source(SiteDefinition site, MqttIngestOptions options, SensorGateway.Core.Pipeline.IReadingDurability? durability = null)
    {
        options.DeadLetterDirectory = _deadLetters;
        return new MqttReadingSource(site.Devices, Options.Create(options), TimeProvider.System, NullLogger<MqttReadingSource>.Instance, durability: durability);
    }
}
