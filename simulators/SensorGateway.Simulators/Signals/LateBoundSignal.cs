namespace SensorGateway.Simulators.Signals;

/// <summary>
/// A signal looked up when asked, so a follower sees its leader after scenario events have wrapped it (a
/// tank's pressure follows its temperature even while a fire ramps the temperature up).
/// </summary>
public sealed class LateBoundSignal(Func<IChannelSignal> resolve) : IChannelSignal
{
    public double ValueAt(TimeSpan elapsed) => resolve().ValueAt(elapsed);
}
