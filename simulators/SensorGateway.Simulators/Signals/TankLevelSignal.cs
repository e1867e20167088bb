namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A fuel or product tank's level: falls steadily with sales (<paramref name="salesPerSecond"/>, in the
/// level's unit) and never below <paramref name="minimum"/>; deliveries are added on top with
/// <see cref="ShiftSignal"/>. Probe noise is small: magnetostrictive gauges resolve well under 1 mm.
/// </summary>
public sealed class TankLevelSignal(double start, double salesPerSecond, double minimum, double noise, int seed, int stream) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed) =>
        Math.Max(minimum, start - (salesPerSecond * elapsed.TotalSeconds)) + (noise * SignalNoise.Uniform(seed, stream, elapsed));
}
