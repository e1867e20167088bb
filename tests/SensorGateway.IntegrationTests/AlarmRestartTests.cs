using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;

namespace SensorGateway.IntegrationTests;

/// <summary>Alarm state survives a restart of the gateway: an active alarm is neither raised again as new nor forgotten.</summary>
public sealed class AlarmRestartTests
{
    [Fact]
    public async Task Restart_WithActiveAlarm_NoSecondRaiseAndTheReturnToNormalStillClearsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-restart");
        var topic = $"{site}/gd-01";
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
        string directory;
        ulong lastSequence;
        await using (var first = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic), ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"], ct))
        {
            first.KeepDirectory = true;
            directory = first.Directory;
            using var events = first.Hazards.Subscribe(new SubscribeRequest(), cancellationToken: ct);
            await PublishAsync(first, topic, 1, 30, t0, ct);
            var raised = await NextAsync(events, e => e.Kind == HazardEventKind.Raised, ct);
            Assert.Equal(30, raised.Alarm.Value);
            lastSequence = raised.Sequence;
        }

        await using var second = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic), ["--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"], ct, directory);
        using var after = second.Hazards.Subscribe(new SubscribeRequest { AfterSequence = lastSequence }, cancellationToken: ct);
        await PublishAsync(second, topic, 2, 35, t0.AddSeconds(1), ct);
        await PublishAsync(second, topic, 3, 1, t0.AddSeconds(2), ct);

        var next = await NextAsync(after, e => e.Kind is HazardEventKind.Raised or HazardEventKind.Cleared or HazardEventKind.Escalated, ct);
        Assert.Equal(HazardEventKind.Cleared, next.Kind);
        Assert.Equal(1, next.Alarm.Value);
    }

    private static async Task PublishAsync(RunningGateway gateway, string topic, long seq, double value, DateTimeOffset time, CancellationToken ct)
    {
        await gateway.WhenMqttSubscribedAsync(ct);
        await using var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", gateway.Services.GetRequiredService<EmbeddedMqttBroker>().Port, ct);
        await device.PublishReadingAsync(topic, seq, value, time, ct);
    }

    private static async Task<HazardEvent> NextAsync(global::Grpc.Core.AsyncServerStreamingCall<SubscribeResponse> call, Func<HazardEvent, bool> match, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (await call.ResponseStream.MoveNext(limit.Token))
        {
            if (match(call.ResponseStream.Current.Event))
            {
                return call.ResponseStream.Current.Event;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }
}
