using SensorGateway.Core.Alarms;

namespace SensorGateway.IntegrationTests.Scenarios;

/// <summary>An alarm event as a gRPC subscriber saw it, placed on the scenario's timeline.</summary>
internal sealed record ObservedAlarm(string Device, string Channel, AlarmEventKind Kind, AlarmLevel Level, TimeSpan At)
{
    public override string ToString() => $"{Kind} {Level} {Device}/{Channel} at {At.TotalSeconds:0.0}s";
}
