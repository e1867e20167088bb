namespace SensorGateway.Simulators.Signals;

/// <summary>What a simulated channel reads at a time since the scenario started. Deterministic for a given seed.</summary>
public interface IChannelSignal
{
    double ValueAt(TimeSpan elapsed);
}
