using Microsoft.Extensions.DependencyInjection;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;
using SensorGateway.Storage.Spool;

namespace SensorGateway.IntegrationTests.Storage;

/// <summary>The spool's quota reached while the database is unreachable: a fault alarm with the exact drop count, and the gateway stays up.</summary>
public sealed class SpoolQuotaTests
{
    [Fact]
    public async Task Quota_ReachedWithDatabaseAway_FaultAlarmCarriesExactDropCountAndGatewayKeepsRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        var site = TestSites.UniqueId("it-quota");
        var topic = $"{site}/gd-01";
        await using var gateway = await RunningGateway.StartAsync(TestSites.OneGasDetector(site, topic),
        [
            "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0",
            "--Storage:Mode=InfluxV2", $"--Storage:Url=http://127.0.0.1:{FreePort.Next()}", "--Storage:Org=o", "--Storage:Bucket=b",
            "--Spool:SegmentBytes=4096", "--Spool:MaxBytes=16384",
        ], ct);
        using var events = gateway.Hazards.Subscribe(new SubscribeRequest(), cancellationToken: ct);
        await gateway.WhenMqttSubscribedAsync(ct);
        var spool = gateway.Services.GetRequiredService<IReadingSpool>();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", gateway.Services.GetRequiredService<EmbeddedMqttBroker>().Port, ct))
        {
            for (var seq = 1; seq <= 1500; seq++)
            {
                await device.PublishReadingAsync(topic, seq, 1, t0.AddMilliseconds(seq), ct);
            }
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        HazardEvent? fault = null;
        while (fault is null && await events.ResponseStream.MoveNext(limit.Token))
        {
            if (events.ResponseStream.Current.Event.Alarm?.RuleId == "system.spool-full")
            {
                fault = events.ResponseStream.Current.Event;
            }
        }

        Assert.NotNull(fault);
        Assert.Equal(HazardEventKind.Raised, fault.Kind);
        Assert.Equal(AlarmLevel.Fault, fault.Alarm.Level);
        Assert.Equal("gateway", fault.Alarm.Device);
        Assert.True(fault.Alarm.Value >= 1, $"dropped count {fault.Alarm.Value}");
        Assert.Equal($"spool quota of 16384 bytes reached: {fault.Alarm.Value} readings dropped so far", fault.Alarm.Message);

        // Every reading is either pending in the spool or counted as dropped: nothing vanished uncounted.
        await Eventually.ReturnsAsync(_ =>
        {
            var c = spool.Counters;
            return Task.FromResult(c.PendingRecords + c.InFlightRecords + c.DroppedOldest + c.DroppedNew == 1500 ? spool : null);
        }, "all 1500 readings pending or counted as dropped", ct);
        var ready = await new HttpClient { BaseAddress = gateway.HttpUrl }.GetAsync(new Uri("/health/live", UriKind.Relative), ct);
        Assert.True(ready.IsSuccessStatusCode);
    }
}
