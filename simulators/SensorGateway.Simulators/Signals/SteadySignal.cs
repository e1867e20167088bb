namespace SensorGateway.Simulators.Signals;

/// <summary>A quiet channel: a baseline with bounded noise, seeded so a run replays identically.</summary>
public sealed class SteadySignal(double baseline, double noise, int seed) : IChannelSignal
{
    private readonly Random _random = new(seed);

    public double ValueAt(TimeSpan elapsed) => baseline + (noise * ((_random.NextDouble() * 2) - 1));
}
