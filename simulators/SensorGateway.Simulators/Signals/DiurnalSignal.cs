namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A daily cycle, e.g. tank or ambient temperature: <paramref name="mean"/> ± <paramref name="amplitude"/>,
/// warmest at <paramref name="peakHour"/> of the simulated day, plus noise. The scenario starts at
/// <paramref name="startHour"/> local time.
/// </summary>
public sealed class DiurnalSignal(double mean, double amplitude, double peakHour, double startHour, double noise, int seed, int stream) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed)
    {
        var hour = startHour + elapsed.TotalHours;
        return mean + (amplitude * Math.Cos(2 * Math.PI * (hour - peakHour) / 24)) + (noise * SignalNoise.Uniform(seed, stream, elapsed));
    }
}
