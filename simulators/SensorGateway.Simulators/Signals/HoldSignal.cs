namespace SensorGateway.Simulators.Signals;

/// <summary>
/// Replaces the inner signal during [<paramref name="from"/>, <paramref name="until"/>): with
/// <paramref name="value"/> when given (a switch that trips, a valve that closes), otherwise with the inner
/// value at <paramref name="from"/> (a stuck sensor that repeats its last reading).
/// </summary>
public sealed class HoldSignal(IChannelSignal inner, TimeSpan from, TimeSpan? until, double? value) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed) =>
        elapsed >= from && (until is null || elapsed < until) ? value ?? inner.ValueAt(from) : inner.ValueAt(elapsed);
}
