namespace SensorGateway.Simulators.Load;

/// <summary>What a load or replay run has sent so far: every MQTT reading carries (device, sequence), so the receiving side can count loss.</summary>
public sealed record LoadCounters(TimeSpan Elapsed, long Published, long Failed, long ModbusRequests, int Devices)
{
    public double PublishedPerSecond => Elapsed > TimeSpan.Zero ? Published / Elapsed.TotalSeconds : 0;
}
