using Google.Protobuf.WellKnownTypes;
using SensorGateway.Grpc.V1;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>Shelving goes to the pipeline's own alarm engine, from a record opened by a real MQTT reading.</summary>
public sealed class HazardShelveTests
{
    [Fact]
    public async Task ShelveAlarm_RecordFromRealReading_EngineShelvesAlarmAndBothEventsAreLogged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await HazardTestGateway.StartAsync(ct);
        var (client, channel) = gateway.Connect();
        using var _ = channel;
        using var stream = client.Subscribe(new SubscribeRequest(), cancellationToken: ct);
        await gateway.PublishReadingAsync(30, ct);
        var events = new List<HazardEvent>();
        while (events.Count < 2 && await stream.ResponseStream.MoveNext(ct))
        {
            events.Add(stream.ResponseStream.Current.Event);
        }

        var id = events[1].Record.Id;
        var shelved = await client.ShelveAlarmAsync(new() { RecordId = id, RequestId = "sh-1", Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)), Note = "sensor maintenance" }, cancellationToken: ct);
        while (events.Count < 4 && await stream.ResponseStream.MoveNext(ct))
        {
            events.Add(stream.ResponseStream.Current.Event);
        }

        Assert.Equal([HazardEventKind.Raised, HazardEventKind.RecordOpened], events.Take(2).Select(e => e.Kind));
        Assert.Equal(HazardStatus.Open, shelved.Record.Status);
        var afterCommand = events.Skip(2).ToList();
        Assert.Contains(afterCommand, e => e.Kind == HazardEventKind.AlarmCommand && e.Action == HazardAction.ShelveAlarm && e.RequestId == "sh-1" && e.Sequence == shelved.Sequence);
        Assert.Contains(afterCommand, e => e.Kind == HazardEventKind.StateChanged && e.Alarm.State == "Shelved");
    }
}
