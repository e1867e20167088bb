namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A leak or an excursion: the inner signal until <paramref name="startAfter"/>, then a rise (or fall, with
/// a negative rate) of <paramref name="ratePerSecond"/> added to it, held at <paramref name="peak"/>.
/// </summary>
public sealed class RampSignal(IChannelSignal inner, TimeSpan startAfter, double ratePerSecond, double peak) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed)
    {
        var quiet = inner.ValueAt(elapsed);
        if (elapsed <= startAfter)
        {
            return quiet;
        }

        var value = quiet + ((elapsed - startAfter).TotalSeconds * ratePerSecond);
        return ratePerSecond >= 0 ? Math.Min(peak, value) : Math.Max(peak, value);
    }
}
