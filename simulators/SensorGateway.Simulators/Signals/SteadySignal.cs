namespace SensorGateway.Simulators.Signals;

/// <summary>A quiet channel: a baseline with bounded noise, seeded so a run replays identically.</summary>
public sealed class SteadySignal(double baseline, double noise, int seed, int stream = 0) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed) => baseline + (noise * SignalNoise.Uniform(seed, stream, elapsed));
}
