using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Spool;
using HealthClient = global::Grpc.Health.V1.Health.HealthClient;
using HealthRequest = global::Grpc.Health.V1.HealthCheckRequest;
using ServingStatus = global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SensorGateway.IntegrationTests;

/// <summary>The host's own surface: health, metrics, gRPC health, and a shutdown that flushes what it accepted.</summary>
public sealed class GatewayHostTests
{
    [Fact]
    public async Task HealthAndMetrics_RunningGatewayWithOneReading_AnswerOnHttpEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-health");
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic), ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"], ct);
        var queue = gateway.Services.GetRequiredService<ReadingQueue>();
        await gateway.WhenMqttSubscribedAsync(ct);
        await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", gateway.Services.GetRequiredService<EmbeddedMqttBroker>().Port, ct))
        {
            await device.PublishReadingAsync(topic, 1, 3, DateTimeOffset.UtcNow, ct);
        }

        await Eventually.ReturnsAsync(_ => Task.FromResult(queue.Enqueued == 1 ? queue : null), "the reading accepted", ct);
        using var http = new HttpClient { BaseAddress = gateway.HttpUrl };

        var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), ct);
        var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(ct));
        Assert.Matches(@"(?m)^sg_pipeline_readings_total(\{[^}]*\})? [1-9][0-9]*( |$)", metrics);
    }

    [Fact]
    public async Task GrpcHealth_RunningGateway_ReportsServing()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-ghealth");
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, $"{site}/gd-01"), ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"], ct);
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(gateway.GrpcUrl);

        var reply = await new HealthClient(channel).CheckAsync(new HealthRequest(), cancellationToken: ct);

        Assert.Equal(ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Stop_AfterReadingsAccepted_FlushesEveryOneToStorage()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-flush");
        var topic = $"{site}/gd-01";
        var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
            ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0", "--Storage:FlushInterval=00:01:00", "--Storage:BatchSize=100000"], ct);
        var directory = gateway.Directory;
        try
        {
            var broker = gateway.Services.GetRequiredService<EmbeddedMqttBroker>();
            var queue = gateway.Services.GetRequiredService<ReadingQueue>();
            await gateway.WhenMqttSubscribedAsync(ct);
            await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", broker.Port, ct))
            {
                var t0 = DateTimeOffset.UtcNow;
                for (var seq = 1; seq <= 500; seq++)
                {
                    await device.PublishReadingAsync(topic, seq, 1, t0.AddMilliseconds(seq), ct);
                }
            }

            await Eventually.ReturnsAsync(_ => Task.FromResult(queue.Enqueued == 500 ? queue : null), "500 readings accepted", ct);

            // A one-minute flush interval means nothing reached the spool yet: only the shutdown drain can put them there.
            var spool = gateway.Services.GetRequiredService<IReadingSpool>();
            Assert.Equal(0, spool.Counters.PendingRecords);
            await gateway.StopAsync(ct);

            var stored = new List<long>();
            await foreach (var reading in spool.ReadPendingAsync(ct))
            {
                stored.Add(reading.Sequence);
            }

            Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), stored);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task Subscribe_UnknownMinLevel_IsInvalidArgument()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-arg");
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, $"{site}/gd-01"), ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"], ct);
        using var call = gateway.Hazards.Subscribe(new SubscribeRequest { MinLevel = (AlarmLevel)42 }, cancellationToken: ct);

        var ex = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("min_level 42 is not a known AlarmLevel.", ex.Status.Detail);
    }
}
