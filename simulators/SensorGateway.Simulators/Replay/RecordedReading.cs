namespace SensorGateway.Simulators.Replay;

/// <summary>One reading of a recorded file: when, which device and channel, the value and the device's sequence number (0 when unknown).</summary>
public sealed record RecordedReading(DateTimeOffset Time, string Device, string Channel, double Value, long Sequence);
