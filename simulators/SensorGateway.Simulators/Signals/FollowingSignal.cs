namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A value that follows another one linearly, e.g. a closed tank's vapour pressure following its
/// temperature: <c>baseline + gain × (leader(t) − leaderReference)</c>, plus noise.
/// </summary>
public sealed class FollowingSignal(IChannelSignal leader, double leaderReference, double baseline, double gain, double noise, int seed, int stream) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed) =>
        baseline + (gain * (leader.ValueAt(elapsed) - leaderReference)) + (noise * SignalNoise.Uniform(seed, stream, elapsed));
}
