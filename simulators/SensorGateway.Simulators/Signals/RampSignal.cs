namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A leak: the baseline until <paramref name="startAfter"/>, then a rise of <paramref name="ratePerSecond"/>
/// up to <paramref name="peak"/>, where it stays.
/// </summary>
public sealed class RampSignal(IChannelSignal baseline, TimeSpan startAfter, double ratePerSecond, double peak) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed)
    {
        var quiet = baseline.ValueAt(elapsed);
        if (elapsed <= startAfter)
        {
            return quiet;
        }

        return Math.Min(peak, quiet + ((elapsed - startAfter).TotalSeconds * ratePerSecond));
    }
}
