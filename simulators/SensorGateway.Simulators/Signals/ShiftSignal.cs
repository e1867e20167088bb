namespace SensorGateway.Simulators.Signals;

/// <summary>
/// Adds a linear change to the inner signal from <paramref name="from"/> for <paramref name="duration"/>
/// (null: for ever), then keeps the change: a delivery into a tank, or a sensor's calibration drift.
/// </summary>
public sealed class ShiftSignal(IChannelSignal inner, TimeSpan from, TimeSpan? duration, double ratePerSecond) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed)
    {
        var active = elapsed - from;
        if (active <= TimeSpan.Zero)
        {
            return inner.ValueAt(elapsed);
        }

        if (duration is { } d && active > d)
        {
            active = d;
        }

        return inner.ValueAt(elapsed) + (active.TotalSeconds * ratePerSecond);
    }
}
