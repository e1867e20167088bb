namespace SensorGateway.Simulators.Signals;

/// <summary>
/// What a simulated channel reads at a time since the scenario started. A pure function of the time:
/// deterministic for a given seed, whatever order values are asked in.
/// </summary>
public interface IChannelSignal
{
    double ValueAt(TimeSpan elapsed);
}
