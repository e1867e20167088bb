using SensorGateway.Core.Alarms;

namespace SensorGateway.Grpc.Hazards;

/// <summary>An alarm event with its place in the gateway's event log.</summary>
public sealed record LoggedAlarmEvent(ulong Sequence, AlarmEvent Alarm);
